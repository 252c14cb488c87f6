import type { Database } from "../index.js";
import type { JobAttemptRow, JobLogRow } from "../rows.js";

type Read = Pick<Database, "read" | "sql">;

/** Every attempt of a job, oldest first (the (jobId, id) index). */
export function selectJobAttempts(db: Read, jobId: string): Promise<JobAttemptRow[]> {
  return db.read.all<JobAttemptRow>(`SELECT * FROM "job_attempts" WHERE "jobId" = @jobId ORDER BY "id"`, {
    jobId,
  });
}

/** Up to `limit` of a job's lines after `afterSeq`, oldest first; only `levels` when given. */
export function selectJobLogPage(
  db: Read,
  {
    jobId,
    levels,
    afterSeq,
    limit,
  }: { jobId: string; levels: string[] | undefined; afterSeq: number; limit: number },
): Promise<JobLogRow[]> {
  const byLevel = levels ? `AND ${db.sql.inArray(`"level"`, "levels")}` : "";
  return db.read.all<JobLogRow>(
    `SELECT * FROM "job_logs" WHERE "jobId" = @jobId ${byLevel} AND "seq" > @afterSeq ORDER BY "seq" LIMIT @limit`,
    { jobId, afterSeq, limit, ...(levels ? { levels } : {}) },
  );
}

/** Lines the job wrote past its cap (0 when it has logged nothing). */
export async function droppedLogLines(db: Read, jobId: string): Promise<number> {
  const [row] = await db.read.all<{ droppedLines: number }>(
    `SELECT "droppedLines" FROM "job_log_counters" WHERE "jobId" = @jobId`,
    { jobId },
  );
  return Number(row?.droppedLines ?? 0);
}
