import type { Job, ListJobsQuery, Pagination } from "@jobdeck/contract";
import { pendingOnly } from "../db/queries/job-filters.js";
import { isNumericSort, selectJobPage, type PagePosition } from "../db/queries/job-page.js";
import type { JobRow } from "../db/rows.js";
import { cursorBinding, decodeCursor, encodeCursor } from "./cursor.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";
import { explainWaits } from "./wait-reasons.js";

export type JobPage = { data: Job[]; pagination: Pagination };

/**
 * Rows a waitReason filter reads per statement: twice the page at first (matches are often dense),
 * four times more each time after, up to this, so a sparse filter needs few statements too.
 */
const SCAN_BATCH_MAX = 1_000;

type ListInput = Pick<JobsDeps, "db" | "cursorKey"> & {
  userId: string;
  query: ListJobsQuery;
  /** FILTER_SCAN_LIMIT: rows a waitReason filter may read per request (§15). */
  filterScanLimit: number;
};

/**
 * One page of the caller's jobs (docs/api.md §5): the cursor says where the previous page ended and
 * is checked against the user, filters and sort it was made for; the page itself is one keyset
 * read (db/queries/job-page.ts), one row more than asked to tell whether another page follows.
 * Every job carries its computed waitReason (jobs/wait-reasons.ts).
 */
export async function listJobs(input: ListInput): Promise<JobPage> {
  const { db, cursorKey, userId, query } = input;
  const sortBy = query.sortBy ?? "createdAt";
  const binding = cursorBinding(userId, query);
  const after = query.cursor
    ? decodeCursor(cursorKey, binding, query.cursor, isNumericSort(sortBy) ? "number" : "string")
    : undefined;
  const positionOf = (row: JobRow): PagePosition => ({ value: row[sortBy], id: row.id });
  const cursorAt = (row: JobRow) => encodeCursor(cursorKey, binding, positionOf(row));
  const now = new Date();

  if (query.waitReason) return listByWaitReason(input, after, positionOf, cursorAt, now);

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
  const reasons = await explainWaits({ db, rows: page, now });
  return {
    data: page.map((row) => toJob(row, reasons.get(row.id) ?? null)),
    pagination: {
      limit: query.limit,
      nextCursor: hasMore && last ? cursorAt(last) : null,
      hasMore,
      isPartial: false,
    },
  };
}

/**
 * waitReason is computed, not stored: the pending jobs that match the other filters are read in
 * the list's order, a batch at a time, and those whose reason is asked for are kept. At most
 * FILTER_SCAN_LIMIT rows are read per request (§15); when that runs out before the page is full,
 * the jobs found so far are the answer, with `isPartial` and a cursor at the last row read, so the
 * next request goes on from there and a walk over every page still sees each match exactly once.
 */
async function listByWaitReason(
  { db, userId, query, filterScanLimit }: ListInput,
  after: PagePosition | undefined,
  positionOf: (row: JobRow) => PagePosition,
  cursorAt: (row: JobRow) => string,
  now: Date,
): Promise<JobPage> {
  const empty = { limit: query.limit, nextCursor: null, hasMore: false, isPartial: false };
  const filters = pendingOnly(query);
  if (!filters) return { data: [], pagination: empty };
  const wanted = new Set(query.waitReason);
  const found: { row: JobRow; reason: Job["waitReason"] }[] = [];
  let position = after;
  let scanned = 0;
  let batchSize = Math.min(Math.max(2 * query.limit, 20), SCAN_BATCH_MAX);
  for (; ; batchSize = Math.min(4 * batchSize, SCAN_BATCH_MAX)) {
    const budget = Math.min(batchSize, filterScanLimit - scanned);
    // One row beyond the budget tells whether anything follows; it is read again by the next batch.
    const rows = await selectJobPage(db, {
      userId,
      filters,
      sortBy: query.sortBy ?? "createdAt",
      isDescending: (query.sortOrder ?? "desc") === "desc",
      after: position,
      limit: budget + 1,
    });
    const batch = rows.slice(0, budget);
    const reasons = await explainWaits({ db, rows: batch, now });
    for (const row of batch) {
      const reason = reasons.get(row.id);
      if (reason === undefined || !wanted.has(reason)) continue;
      found.push({ row, reason });
      if (found.length > query.limit) {
        const page = found.slice(0, query.limit);
        return {
          data: page.map(({ row: kept, reason: why }) => toJob(kept, why)),
          pagination: { ...empty, nextCursor: cursorAt(page.at(-1)!.row), hasMore: true },
        };
      }
    }
    scanned += batch.length;
    const last = batch.at(-1);
    const isEnd = rows.length <= budget;
    if (isEnd || !last) {
      return { data: found.map(({ row, reason }) => toJob(row, reason)), pagination: empty };
    }
    if (scanned >= filterScanLimit) {
      return {
        data: found.map(({ row, reason }) => toJob(row, reason)),
        pagination: { ...empty, nextCursor: cursorAt(last), hasMore: true, isPartial: true },
      };
    }
    position = positionOf(last);
  }
}
