/** Every attempt of a job, oldest first (the (jobId, id) index). */
export function selectJobAttempts(db, jobId) {
    return db.read.all(`SELECT * FROM "job_attempts" WHERE "jobId" = @jobId ORDER BY "id"`, {
        jobId,
    });
}
/** Up to `limit` of a job's lines after `afterSeq`, oldest first; only `levels` when given. */
export function selectJobLogPage(db, { jobId, levels, afterSeq, limit, }) {
    const byLevel = levels ? `AND ${db.sql.inArray(`"level"`, "levels")}` : "";
    return db.read.all(`SELECT * FROM "job_logs" WHERE "jobId" = @jobId ${byLevel} AND "seq" > @afterSeq ORDER BY "seq" LIMIT @limit`, { jobId, afterSeq, limit, ...(levels ? { levels } : {}) });
}
/** Lines the job wrote past its cap (0 when it has logged nothing). */
export async function droppedLogLines(db, jobId) {
    const [row] = await db.read.all(`SELECT "droppedLines" FROM "job_log_counters" WHERE "jobId" = @jobId`, { jobId });
    return Number(row?.droppedLines ?? 0);
}
//# sourceMappingURL=attempts.js.map