/**
 * Writing jobs that arrive outside a list request (live events, cancel, retry, create) into the
 * cache: rows change in place and keep their position, so nothing moves under the reader. Jobs that
 * a cached list does not hold yet but would show are remembered as "new" for that list's banner.
 *
 * The cache holds what ts-rest's hooks put there: a job's query holds getJob's answer, a list's
 * query the pages of listJobs' answers. Every read and write here is typed by those routes.
 */
import type { contract, Job } from "@jobdeck/contract";
import { hashKey, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { useSyncExternalStore } from "react";
import type { TsrQueryClient } from "../../lib/api-client";
import { listQueryOf, queryKeys, type JobListQuery } from "../../lib/query-keys";
import { matchesListQuery } from "./list-state";

/** What getJob's query holds. */
export type JobQueryData = DataResponse<typeof contract.jobs.getJob>;
/** What a list's query holds. ts-rest's typed client types a query as one answer, not pages of them. */
export type JobListData = InfiniteData<DataResponse<typeof contract.jobs.listJobs>, string | undefined>;

const isNewer = (incoming: Job, cached: Job) => incoming.updatedAt >= cached.updatedAt;

// The latest version of each job that came through an event, so that a page or a job requested
// before the event but answered after it does not put the older version back on screen.
const RECENT_MAX = 5000;
const recentJobs = new Map<string, Job>();

function remember(job: Job): void {
  recentJobs.delete(job.id);
  recentJobs.set(job.id, job);
  if (recentJobs.size > RECENT_MAX) recentJobs.delete(recentJobs.keys().next().value as string);
}

/** `job`, or the newer version of it that an event brought. */
export function newestKnown(job: Job): Job {
  const seen = recentJobs.get(job.id);
  return seen && seen.updatedAt > job.updatedAt ? seen : job;
}

const cachedLists = (queryClient: QueryClient) =>
  queryClient.getQueriesData<JobListData>({ queryKey: queryKeys.listJobs.all() });

export function findJobInLists(queryClient: QueryClient, jobId: string): Job | undefined {
  for (const [, data] of cachedLists(queryClient)) {
    for (const page of data?.pages ?? []) {
      const job = page.body.data.find((candidate) => candidate.id === jobId);
      if (job) return job;
    }
  }
  return undefined;
}

/**
 * A job known from another answer (a list row, a create) in the shape getJob's query holds, so
 * that the job's query has one type whoever filled it. The only place that builds one: the
 * message is not shown and the headers are not read.
 */
function asJobQueryData(job: Job): JobQueryData {
  return { status: 200, body: { success: true, data: job, message: "" }, headers: new Headers() };
}

const withJob = (old: JobQueryData | undefined, job: Job): JobQueryData | undefined =>
  old && isNewer(job, old.body.data) ? { ...old, body: { ...old.body, data: job } } : old;

/** What a job's page shows while its own answer loads: its row, if a cached list holds it. */
export function jobPlaceholder(queryClient: QueryClient, jobId: string): JobQueryData | undefined {
  const job = findJobInLists(queryClient, jobId);
  return job && asJobQueryData(job);
}

/** A job just made (by a create): its page, opened next, shows it at once. */
export function addJob(queryClient: TsrQueryClient, job: Job): void {
  queryClient.jobs.getJob.setQueryData(
    queryKeys.getJob.byId(job.id),
    (old) => withJob(old, job) ?? asJobQueryData(job),
  );
}

/** Applies a batch of changed jobs to every cached job and list. */
export function applyJobUpdates(queryClient: TsrQueryClient, jobs: Job[]): void {
  if (jobs.length === 0) return;
  for (const job of jobs) {
    remember(job);
    queryClient.jobs.getJob.setQueryData(queryKeys.getJob.byId(job.id), (old) => withJob(old, job));
  }
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const [key, data] of cachedLists(queryClient)) {
    if (!data) continue;
    const unseen = new Map(byId);
    let isChanged = false;
    const pages = data.pages.map((page) => {
      let isPageChanged = false;
      const rows = page.body.data.map((row) => {
        const incoming = byId.get(row.id);
        if (!incoming) return row;
        unseen.delete(row.id);
        if (!isNewer(incoming, row) || incoming === row) return row;
        isPageChanged = true;
        return incoming;
      });
      if (!isPageChanged) return page;
      isChanged = true;
      return { ...page, body: { ...page.body, data: rows } };
    });
    if (isChanged) queryClient.setQueryData<JobListData>(key, { ...data, pages });
    const listQuery = listQueryOf(key);
    if (listQuery) {
      const arrivals = [...unseen.values()].filter((job) => matchesListQuery(job, listQuery));
      if (arrivals.length > 0) addArrivals(listQuery, arrivals);
    }
  }
}

// Jobs a list does not show yet, by list. Kept outside the query cache because they are not
// server state of that list: they are what would change if the reader asked for it again.
const arrivalsByList = new Map<string, ReadonlySet<string>>();
const listeners = new Set<() => void>();
const EMPTY: ReadonlySet<string> = new Set();

const listHash = (query: JobListQuery) => hashKey(queryKeys.listJobs.query(query));

function emit() {
  for (const listener of listeners) listener();
}

function addArrivals(query: JobListQuery, jobs: Job[]) {
  const hash = listHash(query);
  arrivalsByList.set(hash, new Set([...(arrivalsByList.get(hash) ?? []), ...jobs.map(({ id }) => id)]));
  emit();
}

/** Signing out: nothing learnt for one user may show for the next. */
export function forgetLiveUpdates(): void {
  recentJobs.clear();
  clearArrivals();
}

export function clearArrivals(query?: JobListQuery): void {
  if (query) arrivalsByList.delete(listHash(query));
  else arrivalsByList.clear();
  emit();
}

/** Ids of jobs that arrived for this list since it was loaded. */
export function useArrivals(query: JobListQuery): ReadonlySet<string> {
  const hash = listHash(query);
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => arrivalsByList.get(hash) ?? EMPTY,
  );
}

/** Start every list again from its first page (after a create or a retry, or on "refresh"). */
export async function restartLists(queryClient: QueryClient): Promise<void> {
  clearArrivals();
  await queryClient.resetQueries({ queryKey: queryKeys.listJobs.all() });
}
