/**
 * Writing jobs that arrive outside a list request (live events, cancel, retry) into the cache:
 * rows change in place and keep their position, so nothing moves under the reader. Jobs that a
 * cached list does not hold yet but would show are remembered as "new" for that list's banner.
 */
import type { Job, ListJobsResponse } from "@jobdeck/contract";
import { hashKey, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { queryKeys } from "../../lib/query-keys";
import { matchesListQuery, type JobListQuery } from "./list-state";

type ListPage = { status: number; body: ListJobsResponse; headers: Headers };
type ListData = InfiniteData<ListPage, string | undefined>;
type DetailData = { status: number; body: { success: true; data: Job; message: string }; headers: Headers };

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

export function findJobInLists(queryClient: QueryClient, jobId: string): Job | undefined {
  for (const [, data] of queryClient.getQueriesData<ListData>({ queryKey: queryKeys.jobLists() })) {
    for (const page of data?.pages ?? []) {
      const job = page.body.data.find((candidate) => candidate.id === jobId);
      if (job) return job;
    }
  }
  return undefined;
}

/** Applies a batch of changed jobs to every cached detail and list. */
export function applyJobUpdates(queryClient: QueryClient, jobs: Job[]): void {
  if (jobs.length === 0) return;
  for (const job of jobs) {
    remember(job);
    queryClient.setQueryData<DetailData>(queryKeys.job(job.id), (old) =>
      old && isNewer(job, old.body.data) ? { ...old, body: { ...old.body, data: job } } : old,
    );
  }
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const [key, data] of queryClient.getQueriesData<ListData>({ queryKey: queryKeys.jobLists() })) {
    if (!data) continue;
    const unseen = new Set(byId.keys());
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
    if (isChanged) queryClient.setQueryData<ListData>(key, { ...data, pages });
    const query = key[2] as JobListQuery | undefined;
    if (query) {
      const arrivals = [...unseen].filter((id) => matchesListQuery(byId.get(id) as Job, query));
      if (arrivals.length > 0) addArrivals(query, arrivals);
    }
  }
}

// Jobs a list does not show yet, by list. Kept outside the query cache because they are not
// server state of that list: they are what would change if the reader asked for it again.
const arrivalsByList = new Map<string, ReadonlySet<string>>();
const listeners = new Set<() => void>();
const EMPTY: ReadonlySet<string> = new Set();

const listHash = (query: JobListQuery) => hashKey(queryKeys.jobList(query));

function emit() {
  for (const listener of listeners) listener();
}

function addArrivals(query: JobListQuery, ids: string[]) {
  const hash = listHash(query);
  arrivalsByList.set(hash, new Set([...(arrivalsByList.get(hash) ?? []), ...ids]));
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
  await queryClient.resetQueries({ queryKey: queryKeys.jobLists() });
}
