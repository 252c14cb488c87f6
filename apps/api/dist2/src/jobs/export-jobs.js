import { EXPORT_CSV_COLUMNS } from "@jobdeck/contract";
import { readJobPage } from "./list-jobs.js";
/** Jobs read per page of an export: one keyset read each, a few hundred KiB of text at most. */
const EXPORT_PAGE = 500;
/**
 * Characters per chunk the export yields, at most (one job's line may pass it). A page's text in one
 * string would be a few hundred KiB: V8 puts a string over about 128 KiB in its large-object space,
 * which only a full collection frees, and a million-job export left ~100 MB of them between two (R18).
 */
const CHUNK_CHARS = 32_768;
export const EXPORT_CONTENT_TYPES = {
    ndjson: "application/x-ndjson",
    csv: "text/csv; charset=utf-8",
};
/** One CSV field (RFC 4180): null empty, objects and arrays as JSON text, quoted when it must be. */
function csvField(value) {
    if (value === null || value === undefined)
        return "";
    const text = typeof value === "string"
        ? value
        : typeof value === "number" || typeof value === "boolean"
            ? value.toString()
            : JSON.stringify(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
const csvRow = (fields) => `${fields.map(csvField).join(",")}\r\n`;
const formatJob = {
    ndjson: (job) => `${JSON.stringify(job)}\n`,
    csv: (job) => csvRow(EXPORT_CSV_COLUMNS.map((column) => job[column])),
};
/**
 * `GET /v1/jobs/export` (§15): every job of the caller that the filters match, in the list's order,
 * as text chunks of about CHUNK_CHARS each. The pages are the list's keyset pages (readJobPage), each
 * read only when the consumer asks for the next chunk: a stream piped to a slow client waits for
 * 'drain' before the next read, so memory stays one page whatever the number of jobs. A filter the
 * indexes cannot narrow reads FILTER_SCAN_LIMIT rows per page read, and the export goes on past
 * partial pages to the end.
 */
export async function* exportJobs({ db, userId, query, filterScanLimit, }) {
    const format = formatJob[query.format];
    // The header goes with the first page, so that the first chunk is read from the database before
    // anything is sent: a failure there is still an ordinary error answer (router.ts).
    let head = query.format === "csv" ? csvRow(EXPORT_CSV_COLUMNS) : "";
    let after;
    for (;;) {
        const page = await readJobPage({
            db,
            userId,
            filters: query,
            sortBy: query.sortBy ?? "createdAt",
            isDescending: (query.sortOrder ?? "desc") === "desc",
            after,
            limit: EXPORT_PAGE,
            filterScanLimit,
        });
        let text = head;
        head = "";
        for (const job of page.jobs) {
            text += format(job);
            if (text.length >= CHUNK_CHARS) {
                yield text;
                text = "";
            }
        }
        if (text !== "")
            yield text;
        if (!page.next)
            return;
        after = page.next;
    }
}
//# sourceMappingURL=export-jobs.js.map