import type { contract, Job } from "@jobdeck/contract";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { tsr } from "../../lib/api-client";
import { queryKeys, type JobListQuery } from "../../lib/query-keys";
import { newestKnown, type JobListData } from "./job-cache";
import { FRESH_MS } from "./list-memory";

/** Rows per request: enough to fill a tall screen twice, small enough to arrive in a blink. */
export const PAGE_SIZE = 50;

const NO_JOBS: Job[] = [];

/** The rows loaded, and whether the last page was cut short by the server's scan limit (§15). */
export type LoadedJobs = { jobs: Job[]; isPartial: boolean };

/**
 * The jobs of one view, page after page along `nextCursor`. Lists are not refetched behind the
 * reader's back (a refetch of an infinite list re-reads every loaded page and moves rows under
 * them): live events patch rows in place, and "refresh" starts again from the first page. Only a
 * view left alone for longer than FRESH_MS is read again when the reader comes back to it.
 */
export function useJobs(query: JobListQuery) {
  const result = tsr.jobs.listJobs.useInfiniteQuery<LoadedJobs, string | undefined>({
    queryKey: queryKeys.listJobs.query(query),
    queryData: ({ pageParam: cursor }) => ({
      query: { ...query, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) },
    }),
    initialPageParam: undefined,
    getNextPageParam: (lastPage: DataResponse<typeof contract.jobs.listJobs>) =>
      lastPage.body.pagination.nextCursor ?? undefined,
    // Runs again only when the pages change (a page arrives, an event patches a row).
    select: selectRows,
    staleTime: FRESH_MS,
    gcTime: 15 * 60_000,
  });
  return { ...result, jobs: result.data?.jobs ?? NO_JOBS, isPartial: result.data?.isPartial ?? false };
}

const selectRows = (data: JobListData): LoadedJobs => ({
  jobs: flattenPages(data.pages),
  // A filter the indexes cannot narrow (payload., result., errorCode, idPrefix, waitReason) reads a bounded number of rows per request:
  // such a page may hold fewer rows than asked, or none, and the next one goes on from there.
  isPartial: data.pages.at(-1)?.body.pagination.isPartial ?? false,
});

/**
 * The rows of all pages, each in its newest known version. Keyset pages never overlap; the Set
 * guards the screen against a server that would.
 */
export function flattenPages(pages: { body: { data: Job[] } }[] | undefined): Job[] {
  if (!pages) return [];
  const seen = new Set<string>();
  const jobs: Job[] = [];
  for (const page of pages) {
    for (const job of page.body.data) {
      if (seen.has(job.id)) continue;
      seen.add(job.id);
      jobs.push(newestKnown(job));
    }
  }
  return jobs;
}
