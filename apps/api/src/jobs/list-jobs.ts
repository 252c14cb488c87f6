import type { Job, ListJobsQuery } from "@jobdeck/contract";
import { isTimestampSort, selectJobPage } from "../db/queries/job-page.js";
import { cursorBinding, decodeCursor, encodeCursor } from "./cursor.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";

export type JobPage = {
  data: Job[];
  pagination: { limit: number; nextCursor: string | null; hasMore: boolean };
};

/**
 * One page of the caller's jobs (docs/api.md §5): the cursor says where the previous page ended and
 * is checked against the user, filters and sort it was made for; the page itself is one keyset
 * read (db/queries/job-page.ts), one row more than asked to tell whether another page follows.
 */
export async function listJobs({
  db,
  cursorKey,
  userId,
  query,
}: Pick<JobsDeps, "db" | "cursorKey"> & { userId: string; query: ListJobsQuery }): Promise<JobPage> {
  const sortBy = query.sortBy ?? "createdAt";
  const binding = cursorBinding(userId, query);
  const after = query.cursor
    ? decodeCursor(cursorKey, binding, query.cursor, isTimestampSort(sortBy) ? "number" : "string")
    : undefined;
  const rows = await selectJobPage(db, {
    userId,
    filters: query,
    sortBy,
    isDescending: (query.sortOrder ?? "desc") === "desc",
    after,
    limit: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  const nextCursor =
    hasMore && last ? encodeCursor(cursorKey, binding, { value: last[sortBy], id: last.id }) : null;
  return { data: page.map(toJob), pagination: { limit: query.limit, nextCursor, hasMore } };
}
