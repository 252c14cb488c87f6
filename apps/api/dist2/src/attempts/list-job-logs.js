import { droppedLogLines, selectJobLogPage } from "../db/queries/attempts.js";
import { findJob } from "../db/queries/jobs.js";
import { notFound } from "../errors.js";
import { decodeCursor, encodeCursor } from "../jobs/cursor.js";
import { parseJobId } from "../jobs/job-id.js";
import { toLogLine } from "./mapper.js";
/** A logs cursor is bound to the user, the job and the level filter (in any order, without repeats). */
export const logsBinding = (userId, jobId, levels) => JSON.stringify(["job-logs-v1", userId, jobId, levels ? [...new Set(levels)].sort() : null]);
/**
 * One page of a job's log lines, oldest first: keyset on seq, like §5's pages. `droppedLines` says
 * how many lines the cap kept out.
 */
export async function listJobLogs({ db, cursorKey, userId, jobId, query, }) {
    const id = parseJobId(jobId);
    if (!(await findJob(db, { id, userId })))
        throw notFound();
    const binding = logsBinding(userId, id, query.level);
    const afterSeq = query.cursor === undefined
        ? 0
        : decodeCursor(cursorKey, binding, query.cursor, "number").value;
    const rows = await selectJobLogPage(db, {
        jobId: id,
        levels: query.level,
        afterSeq,
        limit: query.limit + 1,
    });
    const hasMore = rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const last = page.at(-1);
    return {
        data: page.map(toLogLine),
        pagination: {
            limit: query.limit,
            nextCursor: hasMore && last ? encodeCursor(cursorKey, binding, { value: last.seq, id }) : null,
            hasMore,
            isPartial: false,
        },
        droppedLines: await droppedLogLines(db, id),
    };
}
//# sourceMappingURL=list-job-logs.js.map