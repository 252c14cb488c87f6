import type { Job, ListJobsResponse } from "@jobdeck/contract";

export type IterateOptions = {
  /** Jobs per request, 1–100. Default 100. */
  pageSize?: number;
  signal?: AbortSignal;
};

/**
 * Every job the filters match, in the list's order, one page after another by `nextCursor` until
 * the last. A page may be empty and still not the last (§15's partial pages): only a null
 * `nextCursor` ends it.
 */
export async function* iterateJobs<Query extends object>(
  listJobs: (
    query: Query & { limit: string; cursor?: string },
    signal?: AbortSignal,
  ) => Promise<ListJobsResponse>,
  filters: Query,
  { pageSize = 100, signal }: IterateOptions = {},
): AsyncGenerator<Job, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await listJobs(
      { ...filters, limit: String(pageSize), ...(cursor === undefined ? {} : { cursor }) },
      signal,
    );
    yield* page.data;
    cursor = page.pagination.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
