import type { SqlFragments } from "../dialect/index.js";
import { attemptEndOf, withAttemptEnded } from "./attempt-records.js";
import type { AttemptOutcome } from "./types.js";

/**
 * The job store's SQL, written once for both databases; `sql` splices in what differs. Claiming is
 * one conditional UPDATE … RETURNING on both. Every write a worker makes is fenced: conditioned on
 * the job's id, attempt, lease owner and `running`, so a worker that lost its lease changes nothing.
 */

const REAP_BATCH = 100;

const RUNNING = `"status" = 'running'`;
const FENCED = `"id" = @id AND "attempts" = @attempts AND "leaseOwner" = @leaseOwner AND ${RUNNING}`;
const RELEASE_LEASE = `"leaseOwner" = NULL, "leaseExpiresAt" = NULL`;

/**
 * A new pending job. With a dedupe key it takes the key's slot, unless a pending job holds it:
 * then nothing is inserted (the partial unique index decides, so concurrent creates cannot both win).
 */
export const insertJobSql = `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "attempts",
    "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt", "queue", "priority", "concurrencyKey",
    "dedupeKey", "dedupeSlot", "isLimited", "scheduleId", "batchId", "retryOf", "tags", "metadata")
  VALUES (@id, @userId, @type, 'pending', @resultType, @payload, 0, @maxAttempts, @timeoutMs, @runAt, @now, @now,
    @queue, @priority, @concurrencyKey, @dedupeKey, @dedupeKey,
    EXISTS (SELECT 1 FROM "queues" WHERE "userId" = @userId AND "name" = @queue AND "isFlowControlled" = TRUE),
    @scheduleId, @batchId, @retryOf, @tags, @metadata)
  ON CONFLICT ("userId", "queue", "dedupeSlot") WHERE "status" = 'pending' AND "dedupeSlot" IS NOT NULL DO NOTHING
  RETURNING *`;

/** insertJobSql without its answer, for a create without a dedupe key (job-store/index.ts, pendingRow). */
export const insertJobQuietSql = insertJobSql.replace(/\s*RETURNING \*$/, "");

/**
 * Many new pending jobs without dedupe keys, in one statement: `@jobs` is a JSON array of NewJob's
 * columns (runAt as Unix ms, payload as its JSON text). Each takes its queue's flag as insertJobSql's
 * does. RETURNING gives the rows in no promised order.
 */
export const insertJobsSql = (
  sql: SqlFragments,
) => `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType",
    "payload", "attempts", "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt", "queue", "priority",
    "concurrencyKey", "isLimited", "scheduleId", "batchId", "retryOf", "tags", "metadata")
  SELECT b."id", b."userId", b."type", 'pending', b."resultType", b."payload", 0, b."maxAttempts", b."timeoutMs",
    b."runAt", @now, @now, b."queue", b."priority", b."concurrencyKey",
    EXISTS (SELECT 1 FROM "queues" WHERE "userId" = b."userId" AND "name" = b."queue" AND "isFlowControlled" = TRUE),
    b."scheduleId", b."batchId", b."retryOf", b."tags", b."metadata"
  FROM ${sql.jsonRows("jobs", {
    id: "text",
    userId: "text",
    type: "text",
    resultType: "text",
    payload: "json",
    maxAttempts: "integer",
    timeoutMs: "integer",
    runAt: "timestamp",
    queue: "text",
    priority: "integer",
    concurrencyKey: "text",
    scheduleId: "text",
    batchId: "text",
    retryOf: "text",
    tags: "json",
    metadata: "json",
  })} AS b
  WHERE TRUE
  RETURNING *`;

/** The pending job that holds a dedupe key, locked until the transaction ends. */
export const dedupeHolderSql = (sql: SqlFragments) => `SELECT * FROM "jobs"
  WHERE "userId" = @userId AND "queue" = @queue AND "dedupeSlot" = @dedupeKey AND "status" = 'pending' ${sql.forUpdate}`;

/** `replace` and `debounce` (§11): the pending holder takes this request's payload and options. */
export const replacePendingSql = `UPDATE "jobs" SET "payload" = @payload, "priority" = @priority,
    "concurrencyKey" = @concurrencyKey, "runAt" = @runAt, "tags" = @tags, "metadata" = @metadata, "updatedAt" = @now
  WHERE "id" = @id AND "status" = 'pending' RETURNING *`;

/**
 * For a job going back to pending: it takes its dedupe key's slot again unless a newer pending job
 * took it meanwhile (then the newer one keeps answering for the key).
 */
const RESLOT = `"dedupeSlot" = CASE WHEN "dedupeKey" IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "jobs" AS "holder" WHERE "holder"."userId" = "jobs"."userId" AND "holder"."queue" = "jobs"."queue"
      AND "holder"."dedupeSlot" = "jobs"."dedupeKey" AND "holder"."status" = 'pending' AND "holder"."id" <> "jobs"."id"
  ) THEN "dedupeKey" ELSE NULL END`;

/** Whether a claim could find anything (see Connections.isClaimPeekWorthwhile). */
export const hasRunnableSql = (sql: SqlFragments) =>
  `SELECT 1 FROM "jobs" WHERE "status" = 'pending' AND "runAt" <= @now AND ${sql.inArray(`"type"`, "types")} LIMIT 1`;

export const renewLeaseSql = `UPDATE "jobs" SET "leaseExpiresAt" = @leaseUntil WHERE ${FENCED} RETURNING "cancelRequestedAt"`;

/** The SET clause of one attempt's end, and the parameters it adds to the fence's. */
function settleSet(outcome: AttemptOutcome): { set: string; params: Record<string, unknown> } {
  switch (outcome.status) {
    case "completed":
      return {
        set: `"status" = 'completed', "result" = @result, "error" = NULL, "finishedAt" = @now`,
        params: { result: JSON.stringify(outcome.result ?? null) },
      };
    case "failed":
      return {
        set: `"status" = 'failed', "error" = @error, "finishedAt" = @now`,
        params: { error: JSON.stringify(outcome.error) },
      };
    case "cancelled":
      return { set: `"status" = 'cancelled', "finishedAt" = @now`, params: {} };
    case "pending":
      // Back to pending, unless its cancellation was asked for meanwhile: then it ends here.
      // A hand-back gives the attempt back: the next claim counts it again.
      return {
        set: `"status" = CASE WHEN "cancelRequestedAt" IS NULL THEN 'pending' ELSE 'cancelled' END,
          "finishedAt" = CASE WHEN "cancelRequestedAt" IS NULL THEN "finishedAt" ELSE @now END,
          "runAt" = @runAt, ${RESLOT}${
            outcome.isCounted
              ? ""
              : `, "attempts" = CASE WHEN "cancelRequestedAt" IS NULL THEN "attempts" - 1 ELSE "attempts" END`
          }`,
        params: { runAt: outcome.runAt },
      };
  }
}

/**
 * One attempt's fenced end, with its attempt row closed (§14): in the same statement on PostgreSQL;
 * elsewhere `endAttempt` is to run after it, when it returned the job.
 */
export function settleSql(
  sql: SqlFragments,
  outcome: AttemptOutcome,
): { sql: string; endAttempt?: string; params: Record<string, unknown> } {
  const { set, params } = settleSet(outcome);
  const end = attemptEndOf(outcome);
  return {
    ...withAttemptEnded(
      sql,
      `UPDATE "jobs" SET ${set}, ${RELEASE_LEASE}, "updatedAt" = @now WHERE ${FENCED} RETURNING *`,
    ),
    params: { ...params, attemptOutcome: end.outcome, attemptError: end.error },
  };
}

export const upsertArtifactSql = `INSERT INTO "job_artifacts" ("jobId", "contentType", "bytes", "size", "createdAt")
  VALUES (@jobId, @contentType, @bytes, @size, @now)
  ON CONFLICT ("jobId") DO UPDATE SET "contentType" = excluded."contentType",
    "bytes" = excluded."bytes", "size" = excluded."size", "createdAt" = excluded."createdAt"`;

export const cancelPendingSql = `UPDATE "jobs" SET "status" = 'cancelled', "finishedAt" = @now, "updatedAt" = @now
  WHERE "id" = @id AND "userId" = @userId AND "status" = 'pending' RETURNING *`;

export const requestCancelSql = `UPDATE "jobs" SET "cancelRequestedAt" = COALESCE("cancelRequestedAt", @now)
  WHERE "id" = @id AND "userId" = @userId AND ${RUNNING} RETURNING *`;

/**
 * The jobs among @ids (a string array) that are @userId's and meet `condition`, found by id alone:
 * the owner and the condition are tested on the rows the ids found, never used to find them (a
 * condition inside `IS TRUE` is no index's). Without table statistics (a table just filled,
 * autovacuum behind or off) PostgreSQL read a bulk chunk's 250 jobs through the
 * (userId, status, …) index, filtering all 100,000 of the user's pending jobs: 380 ms a chunk
 * against 13.5 ms by id (EXPLAIN ANALYZE, generic plan; bench R17).
 */
export const ownJobsByIds = (sql: SqlFragments, condition: string) =>
  `${sql.inArray(`"id"`, "ids")} AND ("userId" = @userId AND ${condition}) IS TRUE`;

/** cancelPendingSql for many of a user's jobs at once (§15's bulk cancel): `@ids` a string array. */
export const cancelPendingManySql = (sql: SqlFragments) => `UPDATE "jobs"
  SET "status" = 'cancelled', "finishedAt" = @now, "updatedAt" = @now
  WHERE ${ownJobsByIds(sql, `"status" = 'pending'`)} RETURNING *`;

/** requestCancelSql for many of a user's jobs at once. */
export const requestCancelManySql = (sql: SqlFragments) => `UPDATE "jobs"
  SET "cancelRequestedAt" = COALESCE("cancelRequestedAt", @now)
  WHERE ${sql.inArray(`"id"`, "ids")} AND "userId" = @userId AND ${RUNNING} RETURNING "id"`;

export const ownJobSql = `SELECT * FROM "jobs" WHERE "id" = @id AND "userId" = @userId`;

/** Expired leases in one state; `extra` narrows them (cancel requested, out of attempts). */
const reapSql = (
  sql: SqlFragments,
  set: string,
  extra: string,
) => `UPDATE "jobs" SET ${set}, ${RELEASE_LEASE}, "updatedAt" = @now
  WHERE "id" IN (
    SELECT "id" FROM "jobs" WHERE ${RUNNING} AND "leaseExpiresAt" < @now ${extra}
    ORDER BY "leaseExpiresAt" LIMIT ${REAP_BATCH} ${sql.skipLocked}
  ) AND ${RUNNING} AND "leaseExpiresAt" < @now
  RETURNING *`;

export const reapSqls = (sql: SqlFragments) => ({
  cancelled: reapSql(
    sql,
    `"status" = 'cancelled', "finishedAt" = @now`,
    `AND "cancelRequestedAt" IS NOT NULL`,
  ),
  failed: reapSql(
    sql,
    `"status" = 'failed', "error" = @error, "finishedAt" = @now`,
    `AND "attempts" >= "maxAttempts"`,
  ),
  retried: reapSql(sql, `"status" = 'pending', "runAt" = @now, ${RESLOT}`, ""),
});
