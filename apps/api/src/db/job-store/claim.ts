import type { SqlFragments, Tx } from "../index.js";
import type { JobRow, QueueRow } from "../rows.js";
import { asQueueRow } from "./queue-changes.js";

/**
 * Claiming under §11's flow control, inside the claim's one transaction, so that limits hold
 * whatever the number of processes: on PostgreSQL the limited path locks each queue's row
 * (FOR UPDATE SKIP LOCKED) before it counts and starts, so two claims never count the same queue at
 * once; SQLite's single writer does the same by running claims one after the other.
 *
 * - The **open path** takes jobs of queues that are neither paused nor limited: one UPDATE, in
 *   priority, runAt, id order, straight from an index.
 * - The **limited path** visits queues that are limited and not paused, the least recently visited
 *   first (so a queue at its limit never crowds out one that may start), and for each counts its
 *   running jobs and the starts of its rate window, then takes its best jobs. With per-key limits it
 *   walks the queue's keys round robin from where the last claim stopped, one start per key per
 *   turn, so a busy key never holds back the others.
 */

/** Queues the limited path visits per claim, at most. */
const QUEUES_PER_CLAIM = 4;
/** Keys one walk looks at, at least and at most. */
const WALK_MIN = 16;
const WALK_MAX = 256;

export const START_SET = `"status" = 'running', "attempts" = "attempts" + 1, "leaseOwner" = @owner,
  "leaseExpiresAt" = @leaseUntil, "startedAt" = @now, "updatedAt" = @now`;

const RUNNABLE = `"status" = 'pending' AND "runAt" <= @now`;
const IN_QUEUE = `"userId" = @userId AND "queue" = @queue`;
const BEST_FIRST = `ORDER BY "priority" DESC, "runAt", "id"`;

export type ClaimInput = {
  owner: string;
  types: string[];
  limit: number;
  leaseUntil: Date;
  now: Date;
};

export function claimStatements(sql: SqlFragments) {
  const ofTypes = (column = `"type"`) => sql.inArray(column, "types");
  return {
    /**
     * Whether any queue is limited and not paused (else the open path is the whole claim), and on
     * PostgreSQL the shared queue gate, in one round trip. The answer may predate a queue change the
     * gate then waited for; that only decides whether the limited path looks, never what the open
     * path takes, which reads the queues again after the gate.
     */
    gate: `${sql.queueGate ? `${sql.queueGate.shared},` : "SELECT"} EXISTS (SELECT 1 FROM "queues"
      WHERE "isFlowControlled" = TRUE AND "isPaused" = FALSE) AS "anyLimited"`,

    // The pick is a materialized CTE: as `id IN (subquery … LIMIT)`, PostgreSQL may run the subquery
    // again for each row it updates, and with SKIP LOCKED each run can pick other rows.
    open: `WITH "picked" AS MATERIALIZED (
        SELECT "id" FROM "jobs"
        WHERE ${RUNNABLE} AND ${ofTypes()}
          AND NOT EXISTS (SELECT 1 FROM "queues" WHERE "queues"."userId" = "jobs"."userId"
            AND "queues"."name" = "jobs"."queue" AND "queues"."isFlowControlled" = TRUE)
        ${BEST_FIRST} LIMIT @limit ${sql.skipLocked}
      )
      UPDATE "jobs" SET ${START_SET}
      WHERE "id" IN (SELECT "id" FROM "picked") AND "status" = 'pending'
      RETURNING *`,

    limitedQueues: `SELECT * FROM "queues"
      WHERE "isFlowControlled" = TRUE AND "isPaused" = FALSE
        AND EXISTS (SELECT 1 FROM "jobs" WHERE "jobs"."userId" = "queues"."userId"
          AND "jobs"."queue" = "queues"."name" AND "jobs"."status" = 'pending' AND "jobs"."runAt" <= @now
          AND ${ofTypes(`"jobs"."type"`)})
      ORDER BY "lastLookedAt" NULLS FIRST, "userId", "name" LIMIT ${QUEUES_PER_CLAIM} ${sql.skipLocked}`,

    running: `SELECT COUNT(*) AS "n" FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'running'`,

    windowStarts: `SELECT COUNT(*) AS "n" FROM "queue_starts" WHERE ${IN_QUEUE} AND "startedAt" > @since`,

    best: `SELECT "id" FROM "jobs" WHERE ${IN_QUEUE} AND ${RUNNABLE} AND ${ofTypes()} ${BEST_FIRST} LIMIT @take`,

    bestWithoutKey: `SELECT "id" FROM "jobs" WHERE ${IN_QUEUE} AND ${RUNNABLE} AND "concurrencyKey" IS NULL
      AND ${ofTypes()} ${BEST_FIRST} LIMIT @take`,

    /**
     * Up to @steps of the queue's keys that have pending jobs, in key order after @after (a loose
     * index scan: one index probe per key), each with its best runnable job, its running jobs and
     * the starts of its rate window.
     */
    walk: `WITH RECURSIVE "walk"("key", "n") AS (
        SELECT (SELECT "concurrencyKey" FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'pending'
          AND "concurrencyKey" > @after ORDER BY "concurrencyKey" LIMIT 1), 1
        UNION ALL
        SELECT (SELECT "concurrencyKey" FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'pending'
          AND "concurrencyKey" > "walk"."key" ORDER BY "concurrencyKey" LIMIT 1), "walk"."n" + 1
        FROM "walk" WHERE "walk"."key" IS NOT NULL AND "walk"."n" < @steps
      )
      SELECT "walk"."key" AS "key",
        (SELECT "id" FROM "jobs" WHERE ${IN_QUEUE} AND ${RUNNABLE} AND "concurrencyKey" = "walk"."key"
          AND ${ofTypes()} ${BEST_FIRST} LIMIT 1) AS "jobId",
        (SELECT COUNT(*) FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'running'
          AND "concurrencyKey" = "walk"."key") AS "running",
        (SELECT COUNT(*) FROM "queue_starts" WHERE ${IN_QUEUE} AND "concurrencyKey" = "walk"."key"
          AND "startedAt" > @keySince) AS "starts"
      FROM "walk" WHERE "walk"."key" IS NOT NULL ORDER BY "walk"."n"`,

    start: `UPDATE "jobs" SET ${START_SET} WHERE ${sql.inArray(`"id"`, "ids")} AND "status" = 'pending' RETURNING *`,

    recordStarts: `INSERT INTO "queue_starts" ("userId", "queue", "concurrencyKey", "startedAt")
      SELECT "userId", "queue", COALESCE("concurrencyKey", ''), "startedAt" FROM "jobs"
      WHERE ${sql.inArray(`"id"`, "ids")}`,

    visited: `UPDATE "queues" SET "lastLookedAt" = @now, "keyCursor" = @keyCursor
      WHERE "userId" = @userId AND "name" = @queue`,
  };
}

type Statements = ReturnType<typeof claimStatements>;

type WalkRow = { key: string; jobId: string | null; running: number; starts: number };

const count = async (tx: Tx, statement: string, params: Record<string, unknown>) =>
  Number((await tx.all(statement, params))[0]?.n ?? 0);

const isPerKeyLimited = (queue: QueueRow) =>
  queue.perKeyConcurrency !== null || queue.perKeyRateLimit !== null;

/** How many more jobs a queue may start now, by its own (not per-key) limits. */
async function queueRoom(
  tx: Tx,
  s: Statements,
  queue: QueueRow,
  at: { userId: string; queue: string; now: Date },
) {
  let room = Infinity;
  if (queue.concurrency !== null) room = queue.concurrency - (await count(tx, s.running, at));
  if (room > 0 && queue.rateLimit !== null && queue.ratePeriodMs !== null) {
    const since = new Date(at.now.getTime() - queue.ratePeriodMs);
    room = Math.min(room, queue.rateLimit - (await count(tx, s.windowStarts, { ...at, since })));
  }
  return room;
}

/**
 * The keys' next jobs, round robin from `keyCursor`: one job per key that is under its per-key
 * limits, up to `take`. Returns the jobs and where the next walk should go on from.
 */
async function walkKeys(
  tx: Tx,
  s: Statements,
  queue: QueueRow,
  params: { userId: string; queue: string; now: Date; types: string[] },
  take: number,
): Promise<{ ids: string[]; keyCursor: string | null }> {
  const steps = Math.min(WALK_MAX, Math.max(WALK_MIN, take * 4));
  const keySince =
    queue.perKeyRatePeriodMs === null
      ? params.now
      : new Date(params.now.getTime() - queue.perKeyRatePeriodMs);
  const walk = (after: string) => tx.all(s.walk, { ...params, after, steps, keySince }) as Promise<WalkRow[]>;

  const start = queue.keyCursor ?? "";
  let rows = await walk(start);
  const isAtEnd = rows.length < steps;
  // Past the last key: go round from the first, up to where this walk began.
  if (isAtEnd && start !== "") rows = [...rows, ...(await walk("")).filter((row) => row.key <= start)];
  const ids: string[] = [];
  let lastStarted: string | undefined;
  for (const row of rows) {
    if (ids.length >= take) break;
    if (row.jobId === null) continue;
    if (queue.perKeyConcurrency !== null && Number(row.running) >= queue.perKeyConcurrency) continue;
    if (queue.perKeyRateLimit !== null && Number(row.starts) >= queue.perKeyRateLimit) continue;
    ids.push(row.jobId);
    lastStarted = row.key;
  }
  // The next walk goes on after the last key that started; when none did, after the last key
  // looked at, or from the first key once every key was seen.
  const keyCursor = lastStarted ?? (isAtEnd ? null : (rows.at(-1)?.key ?? null));
  return { ids, keyCursor };
}

/** Jobs of one limited queue, up to `limit`, within its limits. */
async function claimFromQueue(
  tx: Tx,
  s: Statements,
  queue: QueueRow,
  input: ClaimInput,
  limit: number,
  isKeylessFirst: boolean,
): Promise<JobRow[]> {
  const at = { userId: queue.userId, queue: queue.name, now: input.now };
  const params = { ...at, types: input.types };
  const take = Math.min(limit, await queueRoom(tx, s, queue, at));
  let ids: string[] = [];
  let keyCursor = queue.keyCursor;
  if (take > 0) {
    if (!isPerKeyLimited(queue)) {
      ids = (await tx.all(s.best, { ...params, take })).map((row) => row.id as string);
    } else {
      const keyless = async (n: number) =>
        n > 0 ? (await tx.all(s.bestWithoutKey, { ...params, take: n })).map((row) => row.id as string) : [];
      if (isKeylessFirst) ids = await keyless(take);
      const walked = await walkKeys(tx, s, queue, params, take - ids.length);
      ids.push(...walked.ids);
      keyCursor = walked.keyCursor;
      if (!isKeylessFirst) ids.push(...(await keyless(take - ids.length)));
    }
  }
  await tx.run(s.visited, { ...at, keyCursor });
  if (ids.length === 0) return [];
  const rows = (await tx.all(s.start, { ...input, ids })) as JobRow[];
  if (rows.length > 0 && (queue.rateLimit !== null || queue.perKeyRateLimit !== null))
    await tx.run(s.recordStarts, { ids: rows.map((row) => row.id) });
  return rows;
}

/**
 * Takes up to `input.limit` runnable jobs within every limit. Its first statement takes the queue
 * gate (PostgreSQL), so that no queue change overlaps the claim.
 */
export async function claimWithinLimits(
  tx: Tx,
  s: Statements,
  input: ClaimInput,
  turn: number,
): Promise<JobRow[]> {
  const open = async (limit: number) =>
    limit > 0 ? ((await tx.all(s.open, { ...input, limit })) as JobRow[]) : [];
  const [gate] = await tx.all(s.gate);
  if (!gate?.anyLimited) return open(input.limit);

  const limited = async (limit: number) => {
    const claimed: JobRow[] = [];
    if (limit <= 0) return claimed;
    const queues = (await tx.all(s.limitedQueues, input)).map(asQueueRow);
    for (const queue of queues) {
      const room = limit - claimed.length;
      // Every queue picked is marked visited, so the next claim looks at others first.
      claimed.push(...(await claimFromQueue(tx, s, queue, input, room, Math.floor(turn / 2) % 2 === 1)));
    }
    return claimed;
  };
  // Turn about: neither path can keep the other's jobs waiting while this process has slots.
  if (turn % 2 === 0) {
    const first = await limited(input.limit);
    return [...first, ...(await open(input.limit - first.length))];
  }
  const first = await open(input.limit);
  return [...first, ...(await limited(input.limit - first.length))];
}
