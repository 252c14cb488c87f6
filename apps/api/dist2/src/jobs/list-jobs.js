import { pendingOnly } from "../db/queries/job-filters.js";
import { isNumericSort, selectJobPage } from "../db/queries/job-page.js";
import { scanJobWindow, splitScanFilters } from "../db/queries/job-scan.js";
import { cursorBinding, decodeCursor, encodeCursor } from "./cursor.js";
import { toJob } from "./mapper.js";
import { explainWaits } from "./wait-reasons.js";
/**
 * Rows the first window of a scan reads: a few pages' worth, since matches are often dense, and few
 * enough that PostgreSQL reads them in index order rather than sorting a mid-sized user's rows. Each
 * next window reads four times more, up to the limit left, so a sparse filter needs few statements.
 */
const firstWindow = (limit) => Math.max(4 * (limit + 1), 100);
/**
 * One page of the caller's jobs (docs/api.md §5): the cursor says where the previous page ended and
 * is checked against the user, filters and sort it was made for; the page itself is read by
 * readJobPage. Every job carries its computed waitReason (jobs/wait-reasons.ts).
 */
export async function listJobs(input) {
    const { db, cursorKey, userId, query, filterScanLimit } = input;
    const sortBy = query.sortBy ?? "createdAt";
    const binding = cursorBinding(userId, query);
    const after = query.cursor
        ? decodeCursor(cursorKey, binding, query.cursor, isNumericSort(sortBy) ? "number" : "string")
        : undefined;
    const page = await readJobPage({
        db,
        userId,
        filters: query,
        sortBy,
        isDescending: (query.sortOrder ?? "desc") === "desc",
        after,
        limit: query.limit,
        filterScanLimit,
    });
    return {
        data: page.jobs,
        pagination: {
            limit: query.limit,
            nextCursor: page.next ? encodeCursor(cursorKey, binding, page.next) : null,
            hasMore: page.next !== null,
            isPartial: page.isPartial,
        },
    };
}
/**
 * Up to `limit` jobs after `after`. When every filter is narrowed by an index, one keyset read
 * (db/queries/job-page.ts), one row more than asked to tell whether another page follows. Else the
 * page is found by scanning (readScannedPage).
 */
export async function readJobPage(input) {
    const { db, userId, filters, sortBy, isDescending, after, limit } = input;
    const now = new Date();
    if (filters.waitReason || splitScanFilters(filters, sortBy))
        return readScannedPage(input, now);
    const rows = await selectJobPage(db, { userId, filters, sortBy, isDescending, after, limit: limit + 1 });
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const reasons = await explainWaits({ db, rows: page, now });
    return {
        jobs: page.map((row) => toJob(row, reasons.get(row.id) ?? null)),
        next: hasMore ? positionOf(page.at(-1), sortBy) : null,
        isPartial: false,
    };
}
const positionOf = (row, sortBy) => ({ value: row[sortBy], id: row.id });
/**
 * Filters the indexes cannot narrow (§15: payload, result, errorCode, idPrefix, and waitReason,
 * which is computed, not stored): the rows the other filters select are read in the list's order,
 * a window at a time (db/queries/job-scan.ts tests the stored filters in SQL; the waitReason of
 * those that pass is computed here), and those that match are kept. At most FILTER_SCAN_LIMIT rows
 * are read per request; when that runs out before the page is full, the jobs found so far are the
 * answer, with `isPartial` and a position at the last row read, so the next request goes on from
 * there and a walk over every page still sees each match exactly once.
 */
async function readScannedPage(input, now) {
    const { db, userId, sortBy, isDescending, limit, filterScanLimit } = input;
    const none = { jobs: [], next: null, isPartial: false };
    const filters = input.filters.waitReason ? pendingOnly(input.filters) : input.filters;
    if (!filters)
        return none;
    const { base, scan } = splitScanFilters(filters, sortBy) ?? { base: filters, scan: {} };
    const wanted = input.filters.waitReason && new Set(input.filters.waitReason);
    const found = [];
    let position = input.after;
    let examined = 0;
    for (let window = firstWindow(limit);; window *= 4) {
        const budget = Math.min(window, filterScanLimit - examined);
        const read = await scanJobWindow(db, {
            userId,
            base,
            scan,
            sortBy,
            isDescending,
            after: position,
            budget,
            limit: limit + 1 - found.length,
        });
        examined += read.examined;
        const reasons = await explainWaits({ db, rows: read.rows, now });
        for (const row of read.rows) {
            const reason = reasons.get(row.id) ?? null;
            if (wanted && (reason === null || !wanted.has(reason)))
                continue;
            found.push({ job: toJob(row, reason), row });
            if (found.length > limit) {
                const page = found.slice(0, limit);
                return {
                    jobs: page.map(({ job }) => job),
                    next: positionOf(page.at(-1).row, sortBy),
                    isPartial: false,
                };
            }
        }
        const jobs = found.map(({ job }) => job);
        if (read.isEnd)
            return { jobs, next: null, isPartial: false };
        position = read.stoppedAt ?? positionOf(read.rows.at(-1), sortBy);
        if (examined >= filterScanLimit)
            return { jobs, next: position, isPartial: true };
    }
}
//# sourceMappingURL=list-jobs.js.map