import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { ENDED_STATUSES, type EndedStatus } from "@jobdeck/contract";
import type { Database, SqlFragments, Tx } from "../index.js";
import { ownJobsByIds } from "./statements.js";

/**
 * Deleting ended jobs with everything that belongs to them (§15: retention and bulk delete).
 *
 * A job's own rows live in every table with a "jobId" column, except the history tables below.
 * test/delete-jobs.test.ts reads both databases' schemas and fails when a table with a "jobId"
 * column is in neither list: a new table must say here whether its rows die with the job.
 */

/** Tables whose rows are a job's own, found by their "jobId": deleted with the job. */
export const JOB_OWNED_TABLES = [
  "job_artifacts",
  "job_attempts",
  "job_logs",
  "job_log_counters",
  "job_tags",
  "job_metadata",
] as const;

/**
 * job_events is a job's own too, but only for the kinds whose "jobId" is a job's id: `job` (its
 * changes) and §14's `log` (its log lines). A `bulk-operation` event's jobId is the operation's.
 */
export const JOB_EVENT_KINDS = ["job", "log"] as const;

/**
 * Tables with a "jobId" that outlive the job, and why: they record what happened elsewhere, and the
 * job's id there is a reference to something that may be gone, like `retryOf` on a job.
 */
export const JOB_HISTORY_TABLES: Record<string, string> = {
  schedule_fires: "the schedule's record of a fire time (what makes it one job); pruned after a day",
  webhook_messages: "a message already owed to the owner's endpoint carries the job in its body",
  webhook_deliveries: "the webhook's delivery log (§13) stays whole",
  bulk_operation_items:
    "a bulk operation's jobs still to process: one deleted meanwhile is counted skipped when its chunk comes, so processed still reaches matched",
};

/** Jobs deleted in one transaction at most: a short hold of SQLite's write lock, small PostgreSQL locks. */
export const DELETE_BATCH = 500;

/**
 * Log lines one retention batch deletes at most (its first job's go whatever their number): a job
 * may keep 10,000 lines (§14), so DELETE_BATCH jobs alone could be millions of rows in one transaction.
 */
export const LOG_LINES_BATCH = 10_000;

export type DeletedJob = { id: string; userId: string; status: EndedStatus; finishedAt: number | null };

const ENDED = `"status" IN (${ENDED_STATUSES.map((status) => `'${status}'`).join(", ")})`;
const RETURNING = `RETURNING "id", "userId", "status", "finishedAt"`;

const statements = (sql: SqlFragments) => ({
  /** The caller's jobs among @ids that have ended, decided by the DELETE itself (see deleteEndedJobs). */
  byIds: `DELETE FROM "jobs" WHERE ${ownJobsByIds(sql, ENDED)} ${RETURNING}`,
  /**
   * One user's oldest jobs of one ended status that finished before @before, with their log line
   * counts, through the (userId, status, finishedAt) index; locked until the transaction ends, and on
   * PostgreSQL rows another transaction holds are skipped, not waited for (another sweeper's).
   */
  expired: `SELECT "id", (SELECT "lines" FROM "job_log_counters" AS c WHERE c."jobId" = "jobs"."id") AS "lines"
    FROM "jobs" WHERE "userId" = @userId AND "status" = @status AND "finishedAt" < @before
    ORDER BY "finishedAt" LIMIT ${DELETE_BATCH} ${sql.skipLocked}`,
  owned: [
    ...JOB_OWNED_TABLES.map((table) => `DELETE FROM "${table}" WHERE ${sql.inArray(`"jobId"`, "ids")}`),
    `DELETE FROM "job_events" WHERE ${sql.inArray(`"jobId"`, "ids")}
      AND "kind" IN (${JOB_EVENT_KINDS.map((kind) => `'${kind}'`).join(", ")})`,
  ],
});

/**
 * How many of `lines` (each job's log line count, in delete order) one transaction takes: up to
 * LOG_LINES_BATCH lines, and always the first job whatever its number.
 */
export function countWithinLogLineBudget(lines: readonly (number | null)[]): number {
  let total = 0;
  for (const [index, count] of lines.entries()) {
    total += count ?? 0;
    if (index > 0 && total > LOG_LINES_BATCH) return index;
  }
  return lines.length;
}

const cache = new WeakMap<SqlFragments, ReturnType<typeof statements>>();
const statementsOf = (sql: SqlFragments) => {
  let found = cache.get(sql);
  if (!found) cache.set(sql, (found = statements(sql)));
  return found;
};

/** The job rows one statement deleted, then their own rows in the same transaction. */
async function deleteWithOwnRows(tx: Tx, sql: SqlFragments, deleteJobs: string, params: object) {
  const deleted = (await tx.all(deleteJobs, params as Record<string, unknown>)) as DeletedJob[];
  if (deleted.length === 0) return deleted;
  const ids = deleted.map((job) => job.id);
  for (const statement of statementsOf(sql).owned) await tx.run(statement, { ids });
  return deleted;
}

type Db = Pick<Database, "writer" | "sql">;

/**
 * Deletes those of `ids` that are `userId`'s jobs and have ended (completed, failed, cancelled),
 * with their artifacts, events, logs and every other row of theirs; returns what it deleted (the
 * rest were skipped: not the user's, gone, or not ended). Whether a job has ended is decided by the
 * DELETE's own condition, so a job that a concurrent write moved (a claim, a retry's requeue) is
 * not deleted. At most DELETE_BATCH jobs per transaction, yielding to the event loop between them.
 */
export async function deleteEndedJobs(
  db: Db,
  input: { userId: string; ids: readonly string[] },
): Promise<DeletedJob[]> {
  const { byIds } = statementsOf(db.sql);
  const deleted: DeletedJob[] = [];
  for (let start = 0; start < input.ids.length; start += DELETE_BATCH) {
    if (start > 0) await yieldToEventLoop();
    const ids = [...new Set(input.ids.slice(start, start + DELETE_BATCH))];
    deleted.push(
      ...(await db.writer.transaction((tx) =>
        deleteWithOwnRows(tx, db.sql, byIds, { ids, userId: input.userId }),
      )),
    );
  }
  return deleted;
}

/**
 * deleteEndedJobs for at most DELETE_BATCH ids inside the caller's transaction: a bulk delete's
 * chunk (§15), which deletes its items in the same transaction so that a crash never deletes twice.
 */
export function deleteEndedJobsIn(
  tx: Tx,
  sql: SqlFragments,
  input: { userId: string; ids: readonly string[] },
): Promise<DeletedJob[]> {
  if (input.ids.length > DELETE_BATCH) throw new Error(`deleteEndedJobsIn takes at most ${DELETE_BATCH} ids`);
  return deleteWithOwnRows(tx, sql, statementsOf(sql).byIds, {
    ids: [...new Set(input.ids)],
    userId: input.userId,
  });
}

/**
 * How many of `ids` (a bulk delete's chunk, in its order) one transaction deletes within the log
 * line budget (countWithinLogLineBudget), read from their log line counters.
 */
export async function jobsWithinLogLineBudget(
  tx: Tx,
  sql: SqlFragments,
  ids: readonly string[],
): Promise<number> {
  const counted = (await tx.all(
    `SELECT "jobId", "lines" FROM "job_log_counters" WHERE ${sql.inArray(`"jobId"`, "ids")}`,
    { ids: [...ids] },
  )) as { jobId: string; lines: number }[];
  const linesOf = new Map(counted.map((row) => [row.jobId, Number(row.lines)]));
  return countWithinLogLineBudget(ids.map((id) => linesOf.get(id) ?? 0));
}

/**
 * One batch of the retention sweep: `userId`'s jobs in `status` that finished before `before`,
 * oldest first, with everything of theirs, in one transaction: up to DELETE_BATCH jobs and
 * LOG_LINES_BATCH log lines (at least one job). `hasMore`: the batch was cut, so more may be due
 * (on PostgreSQL, rows another sweeper held were skipped, and are that sweeper's).
 */
export async function deleteExpiredJobs(
  db: Db,
  input: { userId: string; status: EndedStatus; before: Date },
): Promise<{ deleted: DeletedJob[]; hasMore: boolean }> {
  const { expired, byIds } = statementsOf(db.sql);
  return db.writer.transaction(async (tx) => {
    const candidates = (await tx.all(expired, input)) as { id: string; lines: number | null }[];
    const ids = candidates
      .slice(0, countWithinLogLineBudget(candidates.map((candidate) => candidate.lines)))
      .map((candidate) => candidate.id);
    const deleted =
      ids.length === 0 ? [] : await deleteWithOwnRows(tx, db.sql, byIds, { ids, userId: input.userId });
    return { deleted, hasMore: candidates.length === DELETE_BATCH || ids.length < candidates.length };
  });
}
