/**
 * §14's records of a running job: its attempt rows (job_attempts), its progress and its log lines
 * (job_logs, job_log_counters). Attempt rows are opened by the claim (claim.ts) and closed here, by
 * the same statements that end the attempt on the job: at most one row per job is open, the one
 * whose lease holds. Every write here is fenced like the rest of a worker's writes.
 */
const FENCED = `"id" = @id AND "attempts" = @attempts AND "leaseOwner" = @leaseOwner AND "status" = 'running'`;
/** How the attempt itself ended, from the change its end makes to the job. */
export function attemptEndOf(outcome) {
    const errorText = (error) => (error ? JSON.stringify(error) : null);
    switch (outcome.status) {
        case "completed":
            return { outcome: "completed", error: null };
        case "failed":
            return { outcome: outcome.isTimeout ? "timed_out" : "failed", error: errorText(outcome.error) };
        case "cancelled":
            return { outcome: "cancelled", error: null };
        case "pending":
            return outcome.isCounted
                ? { outcome: outcome.isTimeout ? "timed_out" : "failed", error: errorText(outcome.error) }
                : { outcome: "handed_back", error: null };
    }
}
/** Closes the fence's attempt row: parameters @attemptOutcome, @attemptError and @now besides the fence's. */
export const END_ATTEMPT = `UPDATE "job_attempts" SET "outcome" = @attemptOutcome, "error" = @attemptError,
    "finishedAt" = @now
  WHERE "jobId" = @id AND "attempt" = @attempts AND "leaseOwner" = @leaseOwner AND "finishedAt" IS NULL`;
/**
 * An attempt's fenced end on the job (`settle`, an UPDATE … RETURNING * of jobs) with its attempt
 * row closed: in the same statement where data-modifying CTEs exist (PostgreSQL), else `endAttempt`
 * runs after it when it returned the job.
 */
export function withAttemptEnded(sql, settle) {
    if (!sql.writableCte)
        return { sql: settle, endAttempt: END_ATTEMPT };
    return {
        sql: `${sql.writableCte("settled", settle)}, "ended" AS (${END_ATTEMPT.replace(`WHERE "jobId" = @id`, `WHERE "jobId" IN (SELECT "id" FROM "settled") AND "jobId" = @id`)})
      SELECT * FROM "settled"`,
    };
}
/** The open attempt rows of jobs whose lease ran out (the reaper moved them on): @ids, @error, @now. */
export const expireAttemptsSql = (sql) => `UPDATE "job_attempts"
  SET "outcome" = 'lease_expired', "error" = @error, "finishedAt" = @now
  WHERE ${sql.inArray(`"jobId"`, "ids")} AND "finishedAt" IS NULL`;
/** The handler's progress: a change of the job (its updatedAt moves, its event goes out). */
export const setProgressSql = `UPDATE "jobs" SET "progress" = @progress, "updatedAt" = @now WHERE ${FENCED} RETURNING *`;
/**
 * The fenced job, locked to the commit (PostgreSQL) so that no takeover lands between the check and
 * the lines, with how far its log has come.
 */
export const logStateSql = (sql) => `SELECT "userId", "type", "queue",
    (SELECT "lines" FROM "job_log_counters" WHERE "jobId" = "jobs"."id") AS "lines",
    (SELECT "bytes" FROM "job_log_counters" WHERE "jobId" = "jobs"."id") AS "bytes",
    (SELECT "droppedLines" FROM "job_log_counters" WHERE "jobId" = "jobs"."id") AS "droppedLines"
  FROM "jobs" WHERE ${FENCED} ${sql.forUpdate}`;
/** Many lines of one job in one statement: @lines is a JSON array of { seq, level, message, fields, at }. */
export const insertLogsSql = (sql) => `INSERT INTO "job_logs" ("jobId", "seq", "attempt", "level",
    "message", "fields", "at")
  SELECT CAST(@id AS TEXT), l."seq", CAST(@attempts AS INTEGER), l."level", l."message", l."fields", l."at"
  FROM ${sql.jsonRows("lines", { seq: "integer", level: "text", message: "text", fields: "text", at: "timestamp" })} AS l
  WHERE TRUE`;
/** How far a job's log has come, read after its attempt ended (the fence no longer holds then). */
export const logCounterSql = `SELECT "lines", "bytes", "droppedLines" FROM "job_log_counters" WHERE "jobId" = @id`;
export const saveLogCounterSql = `INSERT INTO "job_log_counters" ("jobId", "lines", "bytes", "droppedLines")
  VALUES (@id, @lines, @bytes, @droppedLines)
  ON CONFLICT ("jobId") DO UPDATE SET "lines" = excluded."lines", "bytes" = excluded."bytes",
    "droppedLines" = excluded."droppedLines"`;
//# sourceMappingURL=attempt-records.js.map