import type { contract, Job } from "@jobdeck/contract";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { useMemo } from "react";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { newestKnown } from "./job-cache";
import { FRESH_MS } from "./list-memory";
import type { JobListQuery } from "./list-state";

/** Rows per request: enough to fill a tall screen twice, small enough to arrive in a blink. */
export const PAGE_SIZE = 50;

/**
 * The jobs of one view, page after page along `nextCursor`. Lists are not refetched behind the
 * reader's back (a refetch of an infinite list re-reads every loaded page and moves rows under
 * them): live events patch rows in place, and "refresh" starts again from the first page. Only a
 * view left alone for longer than FRESH_MS is read again when the reader comes back to it.
 */
export function useJobs(query: JobListQuery) {
  const result = tsr.jobs.listJobs.useInfiniteQuery({
    queryKey: queryKeys.jobList(query),
    queryData: ({ pageParam }) => {
      const cursor = pageParam as string | undefined;
      return { query: { ...query, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) } };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage: DataResponse<typeof contract.jobs.listJobs>) =>
      lastPage.body.pagination.nextCursor ?? undefined,
    staleTime: FRESH_MS,
    gcTime: 15 * 60_000,
  });
  const pages = result.data?.pages;
  const jobs = useMemo(() => flattenPages(pages), [pages]);
  return { ...result, jobs };
}

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
