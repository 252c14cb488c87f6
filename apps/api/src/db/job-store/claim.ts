import type { Params, Row, SqlFragments, Tx } from "../index.js";
import type { Statement } from "../dialect/index.js";
import type { JobRow, QueueRow } from "../rows.js";
import { asQueueRow } from "./queue-changes.js";

/**
 * Claiming under §11's flow control, inside the claim's one transaction, so that limits hold
 * whatever the number of processes: on PostgreSQL the limited path locks each queue's row
 * (FOR UPDATE SKIP LOCKED) before it counts and starts, so two claims never count the same queue at
 * once; SQLite's single writer does the same by running claims one after the other.
 *
 * - The **open path** takes jobs of queues that are neither paused nor limited: one UPDATE, in
 *   priority, runAt, id order, straight from an index led by status and the job's `isLimited`
 *   (kept in step with its queue by queue-changes.ts), so the jobs waiting in limited queues,
 *   however many, are never read by it.
 * - The **limited path** visits queues that are limited and not paused, the least recently visited
 *   first (so a queue at its limit never crowds out one that may start), and for each counts its
 *   running jobs and the starts of its rate window, then takes its best jobs. With per-key limits it
 *   walks the queue's keys round robin from where the last claim stopped, one start per key per
 *   turn, so a busy key never holds back the others.
 */

/** Queues the limited path visits per claim, at most. */
const QUEUES_PER_CLAIM = 4;
/**
 * Keys one walk looks at, at least and at most. The first walk of a claim looks at twice as many
 * keys as it has room for: a key seldom fails (most keys are under their limits), and when many do,
 * the walk goes on in WALK_MAX steps.
 */
const WALK_MIN = 4;
const WALK_MAX = 256;

const START_SET = `"status" = 'running', "attempts" = "attempts" + 1, "leaseOwner" = @owner,
  "leaseExpiresAt" = @leaseUntil, "startedAt" = @now, "updatedAt" = @now`;

const RUNNABLE = `"status" = 'pending' AND "runAt" <= @now`;
const IN_QUEUE = `"userId" = @userId AND "queue" = @queue`;
const BEST_FIRST = `ORDER BY "priority" DESC, "runAt", "id"`;
// Typed, for PostgreSQL: a UNION of untyped NULLs takes the type of text.
const NULL_PRIORITY = "CAST(NULL AS INTEGER)";
const NULL_RUN_AT = "CAST(NULL AS TIMESTAMP(3))";
/**
 * Part 0 of a plan: the queue's running jobs and the starts in its rate window (none when @since is
 * null). Every part has the same columns: part, n, key, jobId, running, starts, priority, runAt.
 */
const QUEUE_COUNTS = `SELECT 0 AS "part", 0 AS "n", CAST(NULL AS TEXT) AS "key", CAST(NULL AS TEXT) AS "jobId",
  (SELECT COUNT(*) FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'running') AS "running",
  (SELECT COUNT(*) FROM "queue_starts" WHERE ${IN_QUEUE} AND "startedAt" > @since) AS "starts",
  ${NULL_PRIORITY} AS "priority", ${NULL_RUN_AT} AS "runAt"`;

const START_SQL = (sql: SqlFragments, returning = "*") =>
  `UPDATE "jobs" SET ${START_SET} WHERE ${sql.inArray(`"id"`, "ids")} AND "status" = 'pending' RETURNING ${returning}`;
const MOVE_KEY_CURSOR = `UPDATE "queues" SET "keyCursor" = @keyCursor WHERE "userId" = @userId AND "name" = @queue`;

/** §14's attempt row of each job a start returned, `running` from its startedAt. */
const recordAttemptsFrom = (source: string) => `INSERT INTO "job_attempts" ("jobId", "attempt", "leaseOwner",
    "outcome", "startedAt")
  SELECT "id", "attempts", "leaseOwner", 'running', "startedAt" FROM ${source}`;

/**
 * A start (`update`, an UPDATE … RETURNING * of jobs, after the CTEs `ctes`) that also records its
 * attempts. Where data-modifying CTEs exist (PostgreSQL) the attempt rows ride in the start's own
 * statement, so the claim keeps its round trips (bench R5/R6); elsewhere (SQLite, where a statement
 * costs no round trip) the claim records them after, with `recordAttempts`.
 */
const startStatement = (sql: SqlFragments, ctes: string[], update: string, after: string[] = []) =>
  sql.writableCte
    ? `WITH ${[...ctes, `"started" AS (${update})`, `"recorded" AS (${recordAttemptsFrom(`"started"`)})`, ...after].join(",\n")}
      SELECT * FROM "started"`
    : `${ctes.length > 0 ? `WITH ${ctes.join(",\n")}\n` : ""}${update}`;

/**
 * An open-path start that reads its time in its own statement (SqlFragments.statementClock): sent in
 * one message with the queue gate, a claim's @now is read before the gate's wait, and a claim that
 * waited for a queue's resume would record starts inside the pause it waited out. Its time, "t" of
 * the CTE "claimAt", is @now where the caller fixed it (@isNowFixed: tests that set the time), else
 * the later of @now and the clock once the gate is held; the lease keeps its length from there.
 */
function readingClock(sql: SqlFragments, statement: string): string {
  if (!sql.statementClock || !statement.startsWith("WITH ")) return statement;
  const at = `(SELECT "t" FROM "claimAt")`;
  const body = statement
    .slice("WITH ".length)
    .replace(/@now\b/g, at)
    .replace(/@leaseUntil\b/g, `(${at} + (@leaseUntil::timestamp(3) - @now::timestamp(3)))`);
  return `WITH "claimAt" AS MATERIALIZED (SELECT CASE WHEN @isNowFixed THEN @now::timestamp(3)
      ELSE GREATEST(@now::timestamp(3), ${sql.statementClock}) END AS "t"),
    ${body}`;
}

/** A claim's size as written into its statement: a whole number of jobs, at least one. */
function claimSize(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`a claim takes 1 or more jobs, not ${limit}`);
  return limit;
}

/** A statement text per claim size, built once each. */
function bySize(build: (limit: number) => string): (limit: number) => string {
  const built = new Map<number, string>();
  return (limit) => {
    let text = built.get(limit);
    if (text === undefined) built.set(limit, (text = build(limit)));
    return text;
  };
}

export type ClaimInput = {
  owner: string;
  types: string[];
  limit: number;
  leaseUntil: Date;
  now: Date;
  /** The caller fixed `now` (tests): starts are recorded at it, not at the clock (readingClock). */
  isNowFixed: boolean;
};

export function claimStatements(sql: SqlFragments) {
  const ofTypes = (column = `"type"`) => sql.inArray(column, "types");
  // SQLite's planner, without statistics, would rather read a user's jobs by runAt.
  const byQueue = sql.tableByIndex("jobs", "jobs_userId_queue_status_priority_runAt_id_idx");
  const byKey = sql.tableByIndex("jobs", "jobs_userId_queue_status_concurrencyKey_priority_runAt_id_idx");
  // The pick is a materialized CTE: as `id IN (subquery … LIMIT)`, PostgreSQL may run the subquery
  // again for each row it updates, and with SKIP LOCKED each run can pick other rows. Its LIMIT is
  // written into the statement (one statement per claim size, each planned once per connection):
  // with `LIMIT $n`, PostgreSQL's generic plan takes the pick for a tenth of the pending jobs and
  // updates them by a hash join over a sequential scan of every job, so it planned every claim
  // afresh instead (2.5 ms of planning against 4.4 ms of execution, EXPLAIN ANALYZE at 18,000
  // pending jobs).
  const pickOpen = (limit: number) => `"picked" AS MATERIALIZED (
        SELECT "id" FROM ${sql.tableByIndex("jobs", "jobs_status_isLimited_priority_runAt_id_idx")}
        WHERE "status" = 'pending' AND "isLimited" = FALSE AND "runAt" <= @now AND ${ofTypes()}
        ${BEST_FIRST} LIMIT ${claimSize(limit)} ${sql.skipLocked}
      )`;
  /**
   * The limited, unpaused queues with runnable jobs that were visited least recently, locked
   * (PostgreSQL) and marked visited in the same statement.
   */
  const pickQueues = `WITH "picked" AS MATERIALIZED (
        SELECT "userId", "name" FROM "queues"
        WHERE "isFlowControlled" = TRUE AND "isPaused" = FALSE
          -- A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL made EXISTS a semi-join that read
          -- every pending job (60 ms at 10,000) where this reads one row.
          AND (SELECT 1 FROM ${byQueue} WHERE "jobs"."userId" = "queues"."userId"
            AND "jobs"."queue" = "queues"."name" AND "jobs"."status" = 'pending' AND "jobs"."runAt" <= @now
            AND ${ofTypes(`"jobs"."type"`)} LIMIT 1) IS NOT NULL
        ORDER BY "lastLookedAt" NULLS FIRST, "userId", "name" LIMIT ${QUEUES_PER_CLAIM} ${sql.skipLocked}
      )
      UPDATE "queues" SET "lastLookedAt" = @now
      WHERE ("userId", "name") IN (SELECT "userId", "name" FROM "picked")
      RETURNING *`;
  const { jobEvents } = sql;
  const withEventData = sql.jobEvents ? `*, ${sql.jobEvents.data(`"jobs"`)} AS "eventData"` : "*";
  const startPicked = (returning: string) => `UPDATE "jobs" SET ${START_SET}
      WHERE "id" IN (SELECT "id" FROM "picked") AND "status" = 'pending'
      RETURNING ${returning}`;
  return {
    /**
     * Whether any queue is limited and not paused (else the open path is the whole claim), whether
     * any job of an open queue is runnable (else the open path sends nothing), and on PostgreSQL the
     * shared queue gate, in one round trip. The answers may predate a queue change the gate then
     * waited for, or a create that committed meanwhile; they only decide whether a path looks (the
     * next claim, which a create's signal starts, looks again), never what a path takes: the open
     * path reads the jobs' isLimited after the gate.
     */
    gate: `${sql.queueGate ? `${sql.queueGate.shared},` : "SELECT"} EXISTS (SELECT 1 FROM "queues"
      WHERE "isFlowControlled" = TRUE AND "isPaused" = FALSE) AS "anyLimited",
      EXISTS (SELECT 1 FROM ${sql.tableByIndex("jobs", "jobs_status_isLimited_priority_runAt_id_idx")}
        WHERE "status" = 'pending' AND "isLimited" = FALSE AND "runAt" <= @now AND ${ofTypes()}) AS "anyOpen"`,

    /** The open path's start of up to `limit` jobs. */
    open: bySize((limit) => readingClock(sql, startStatement(sql, [pickOpen(limit)], startPicked("*")))),
    /**
     * The open path that also appends the started jobs' events (PostgreSQL's SqlFragments.jobEvents):
     * with the gate and the COMMIT, the whole claim is one message. Its rows carry "eventData".
     */
    openWithEvents: jobEvents
      ? bySize((limit) =>
          readingClock(
            sql,
            startStatement(
              sql,
              [pickOpen(limit)],
              startPicked(withEventData),
              jobEvents.append("started", "job.started"),
            ),
          ),
        )
      : undefined,

    /**
     * pickQueues as the statements to send, kept to its generic plan (SqlFragments.genericPlan): that
     * plan reads the same way as the ones made for each call's values, but PostgreSQL costs
     * `"runAt" <= $1` at a third of the jobs and planned every pick afresh (R10: 0 generic plans,
     * 199 custom). `picked` finds its rows among the answers.
     */
    pickQueues: ({ params, isPrepared = false }: { params: Params; isPrepared?: boolean }) => {
      const { genericPlan } = sql;
      const pick: Statement = { sql: pickQueues, params, isPrepared };
      const statements = genericPlan
        ? [{ sql: genericPlan.before }, pick, { sql: genericPlan.after }]
        : [pick];
      return {
        statements,
        /** The pick's rows among the answers to a message whose first `offset` statements came before. */
        picked: (answers: Row[][], offset = 0) => answers[offset + statements.indexOf(pick)]!,
      };
    },

    /**
     * What one claim needs to know of a queue without per-key limits, in one statement: its
     * running jobs and window starts (part 0), then its best runnable jobs (part 2).
     */
    plan: `${QUEUE_COUNTS}
      UNION ALL
      SELECT 2, 0, NULL, "id", 0, 0, "priority", "runAt" FROM (
        SELECT "id", "priority", "runAt" FROM ${byQueue} WHERE ${IN_QUEUE} AND ${RUNNABLE} AND ${ofTypes()}
        ${BEST_FIRST} LIMIT @limit) AS "best"
      ORDER BY 1, 2, 7 DESC, 8, 4`,

    /**
     * The same with per-key limits: the queue's counts (part 0); up to @steps of its keys that have
     * pending jobs, in key order after @after (a loose index scan: one index probe per key), each
     * with its best runnable job, its running jobs and the starts of its rate window (part 1); and
     * its best runnable jobs without a key (part 2).
     */
    planByKey: `WITH RECURSIVE "walk"("key", "n") AS (
        SELECT (SELECT "concurrencyKey" FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'pending'
          AND "concurrencyKey" > @after ORDER BY "concurrencyKey" LIMIT 1), 1
        UNION ALL
        SELECT (SELECT "concurrencyKey" FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'pending'
          AND "concurrencyKey" > "walk"."key" ORDER BY "concurrencyKey" LIMIT 1), "walk"."n" + 1
        FROM "walk" WHERE "walk"."key" IS NOT NULL AND "walk"."n" < @steps
      )
      ${QUEUE_COUNTS}
      UNION ALL
      SELECT 1, "walk"."n", "walk"."key",
        -- The key as a range, in index order: with "= walk.key" (a value PostgreSQL cannot see when
        -- it plans) it read the claim index through the busy key's rows, up to 285 ms per idle key.
        (SELECT "id" FROM "jobs" WHERE ${IN_QUEUE} AND ${RUNNABLE}
          AND "concurrencyKey" >= "walk"."key" AND "concurrencyKey" <= "walk"."key" AND ${ofTypes()}
          ORDER BY "concurrencyKey", "priority" DESC, "runAt", "id" LIMIT 1),
        (SELECT COUNT(*) FROM "jobs" WHERE ${IN_QUEUE} AND "status" = 'running'
          AND "concurrencyKey" = "walk"."key"),
        (SELECT COUNT(*) FROM "queue_starts" WHERE ${IN_QUEUE} AND "concurrencyKey" = "walk"."key"
          AND "startedAt" > @keySince),
        ${NULL_PRIORITY}, ${NULL_RUN_AT}
      FROM "walk" WHERE "walk"."key" IS NOT NULL
      UNION ALL
      SELECT 2, 0, NULL, "id", 0, 0, "priority", "runAt" FROM (
        SELECT "id", "priority", "runAt" FROM ${byKey} WHERE ${IN_QUEUE} AND ${RUNNABLE}
          AND "concurrencyKey" IS NULL AND ${ofTypes()} ${BEST_FIRST} LIMIT @limit) AS "keyless"
      ORDER BY 1, 2, 7 DESC, 8, 4`,

    start: startStatement(sql, [], START_SQL(sql)),
    /**
     * The start, and the start moving the key cursor, with their events appended by the statement
     * (PostgreSQL's jobEvents): the limited path's last start goes with the COMMIT in one message.
     */
    startWithEvents: sql.jobEvents
      ? startStatement(sql, [], START_SQL(sql, withEventData), sql.jobEvents.append("started", "job.started"))
      : undefined,
    startMovingCursorWithEvents:
      sql.jobEvents && sql.writableCte
        ? startStatement(
            sql,
            [`"moved" AS (${MOVE_KEY_CURSOR})`],
            START_SQL(sql, withEventData),
            sql.jobEvents.append("started", "job.started"),
          )
        : undefined,
    /** The start, and the walk's new key cursor in the same round trip where that is possible. */
    startMovingCursor: sql.writableCte
      ? startStatement(sql, [`"moved" AS (${MOVE_KEY_CURSOR})`], START_SQL(sql))
      : undefined,

    /**
     * The attempt rows of the jobs a claim started, where its start statements could not write them
     * (SQLite): the owner's running jobs among @ids.
     */
    recordAttempts: sql.writableCte
      ? undefined
      : recordAttemptsFrom(`"jobs" WHERE ${sql.inArray(`"id"`, "ids")} AND "leaseOwner" = @owner
        AND "status" = 'running'`),

    recordStarts: `INSERT INTO "queue_starts" ("userId", "queue", "concurrencyKey", "startedAt")
      SELECT "userId", "queue", COALESCE("concurrencyKey", ''), "startedAt" FROM "jobs"
      WHERE ${sql.inArray(`"id"`, "ids")}`,

    moveKeyCursor: MOVE_KEY_CURSOR,
  };
}

type Statements = ReturnType<typeof claimStatements>;

type PlanRow = {
  part: number;
  key: string | null;
  jobId: string | null;
  running: number | string;
  starts: number | string;
};

const isPerKeyLimited = (queue: QueueRow) =>
  queue.perKeyConcurrency !== null || queue.perKeyRateLimit !== null;

const since = (now: Date, periodMs: number | null) =>
  periodMs === null ? null : new Date(now.getTime() - periodMs);

/** Keys one claim may look at, at most, before it gives up for this turn. */
const WALK_BUDGET = 4_096;

/**
 * One job from each key under its per-key limits, round robin from `start`, up to `room`. The walk
 * goes on (more plan statements, WALK_MAX keys each) past keys at their limits until it has found
 * `room` jobs or seen every key, so keys at their limits, however many, never hold back one that
 * may start. Returns the jobs and where the next claim's walk should begin.
 */
async function walkKeys(
  first: PlanRow[],
  next: (after: string) => Promise<PlanRow[]>,
  { queue, start, steps, room }: { queue: QueueRow; start: string; steps: number; room: number },
): Promise<{ ids: string[]; keyCursor: string | null }> {
  const ids: string[] = [];
  let lastStarted: string | undefined;
  let lastSeen: string | undefined;
  let isWrapped = start === "";
  let rows = first.filter((row) => row.part === 1);
  let batchSteps = steps;
  for (let seen = 0; ;) {
    let isRoundDone = false;
    for (const row of rows) {
      if (ids.length >= room) break;
      if (isWrapped && start !== "" && row.key! > start) {
        isRoundDone = true;
        break;
      }
      lastSeen = row.key!;
      if (row.jobId === null) continue;
      if (queue.perKeyConcurrency !== null && Number(row.running) >= queue.perKeyConcurrency) continue;
      if (queue.perKeyRateLimit !== null && Number(row.starts) >= queue.perKeyRateLimit) continue;
      ids.push(row.jobId);
      lastStarted = row.key!;
    }
    seen += rows.length;
    if (ids.length >= room) break;
    const isAtEnd = rows.length < batchSteps;
    // Every key seen, once round from `start` back to it: the next walk begins at the first key.
    if (isRoundDone || (isAtEnd && isWrapped)) return { ids, keyCursor: lastStarted ?? null };
    if (seen >= WALK_BUDGET) break;
    const after = isAtEnd ? "" : rows.at(-1)!.key!;
    if (isAtEnd) isWrapped = true;
    rows = (await next(after)).filter((row) => row.part === 1);
    batchSteps = WALK_MAX;
  }
  // The next walk goes on after the last key that started, or else after the last key seen.
  return { ids, keyCursor: lastStarted ?? lastSeen ?? null };
}

/**
 * Jobs of one limited queue, up to `limit`, within its limits: one plan statement, then the start.
 * With per-key limits, the keys are walked round robin from `keyCursor`, one job per key that is
 * under its per-key limits, and the keyless jobs go first or last by turn.
 */
async function claimFromQueue(
  tx: Tx,
  s: Statements,
  queue: QueueRow,
  input: ClaimInput,
  limit: number,
  isKeylessFirst: boolean,
  /** Nothing follows in the claim's transaction: its start may go with the COMMIT (PostgreSQL). */
  isLast: boolean,
): Promise<{ rows: JobRow[]; isCommitted: boolean }> {
  const params = {
    userId: queue.userId,
    queue: queue.name,
    now: input.now,
    types: input.types,
    limit,
    since: queue.rateLimit === null ? null : since(input.now, queue.ratePeriodMs),
  };
  const byKey = isPerKeyLimited(queue);
  const firstSteps = Math.min(WALK_MAX, Math.max(WALK_MIN, limit * 2));
  const start = queue.keyCursor ?? "";
  const plan = async (after: string, steps: number) =>
    (await tx.all(byKey ? s.planByKey : s.plan, {
      ...params,
      ...(byKey ? { after, steps, keySince: since(input.now, queue.perKeyRatePeriodMs) ?? input.now } : {}),
    })) as PlanRow[];
  const rows = await plan(start, firstSteps);
  const counts = rows.find((row) => row.part === 0);
  let room = limit;
  if (queue.concurrency !== null) room = Math.min(room, queue.concurrency - Number(counts?.running ?? 0));
  if (queue.rateLimit !== null) room = Math.min(room, queue.rateLimit - Number(counts?.starts ?? 0));
  if (room <= 0) return { rows: [], isCommitted: false };

  const keyless = rows.filter((row) => row.part === 2).map((row) => row.jobId!);
  let ids = keyless.slice(0, room);
  let keyCursor: string | null | undefined;
  if (byKey) {
    const walk = await walkKeys(rows, (after) => plan(after, WALK_MAX), {
      queue,
      start,
      steps: firstSteps,
      room: isKeylessFirst ? room - ids.length : room,
    });
    ids = (isKeylessFirst ? [...ids, ...walk.ids] : [...walk.ids, ...keyless]).slice(0, room);
    if (walk.keyCursor !== queue.keyCursor) keyCursor = walk.keyCursor;
  }
  const isCursorFolded = keyCursor !== undefined && ids.length > 0 && s.startMovingCursor !== undefined;
  if (keyCursor !== undefined && !isCursorFolded) await tx.run(s.moveKeyCursor, { ...params, keyCursor });
  if (ids.length === 0) return { rows: [], isCommitted: false };
  const startParams = {
    ...input,
    ids,
    ...(isCursorFolded ? { userId: queue.userId, queue: queue.name, keyCursor } : {}),
  };
  const isRateLimited = queue.rateLimit !== null || queue.perKeyRateLimit !== null;
  const withEvents = isCursorFolded ? s.startMovingCursorWithEvents : s.startWithEvents;
  if (isLast && !isRateLimited && withEvents && tx.allThenCommit) {
    // The claim's last statement: the start, its attempt rows and events, and COMMIT, in one message.
    const [started] = (await tx.allThenCommit(
      [{ sql: withEvents, params: startParams, isPrepared: true }],
      true,
    )) as [(JobRow & { eventData?: string })[]];
    return { rows: started.map(({ eventData: _data, ...row }) => row), isCommitted: true };
  }
  const started = (await tx.all(isCursorFolded ? s.startMovingCursor! : s.start, startParams)) as JobRow[];
  if (started.length > 0 && isRateLimited)
    await tx.run(s.recordStarts, { ids: started.map((row) => row.id) });
  return { rows: started, isCommitted: false };
}

/**
 * Takes up to `input.limit` runnable jobs within every limit. Its first statement takes the queue
 * gate (PostgreSQL), so that no queue change overlaps the claim.
 */
export async function claimWithinLimits(
  tx: Tx,
  s: Statements,
  request: Omit<ClaimInput, "now" | "leaseUntil" | "isNowFixed"> & { leaseMs: number; now: Date | undefined },
  turn: number,
  /**
   * The last claim found no limited queue: the open path is sent with the gate, in one message (one
   * round trip fewer). Should a queue have become limited meanwhile, the limited path goes second
   * this once, whatever the turn; what each path may take is unchanged.
   */
  isOpenOnly = false,
  /**
   * Where a statement costs a round trip (PostgreSQL): the limited queues may be picked in the gate's
   * message when the limited path goes first, or when the last claim found no open job
   * (`isOpenExpected` false).
   */
  { isPickWithGate = false, isOpenExpected = true } = {},
): Promise<{
  rows: JobRow[];
  now: Date;
  anyLimited: boolean;
  /** Whether the gate found an open queue's job runnable (not told by the one-message claim). */
  anyOpen?: boolean;
  /** The claim committed with its last statement, its attempt rows and events written. */
  isCommitted?: boolean;
  /** The one-message claim saw a limited queue it did not look at. */
  isLimitedLeft?: boolean;
}> {
  const inputAt = (now: Date): ClaimInput => ({
    ...request,
    now,
    leaseUntil: new Date(now.getTime() + request.leaseMs),
    isNowFixed: request.now !== undefined,
  });
  if (isOpenOnly && s.openWithEvents && tx.allThenCommit) {
    // The whole claim in one message: BEGIN, the gate, the start with its attempt rows and events,
    // COMMIT. Should a queue have become limited meanwhile, the caller claims from it in a
    // transaction of its own (the gate told this one only that the open path was safe to take).
    const now = request.now ?? new Date();
    const input = inputAt(now);
    const [[gate], started] = (await tx.allThenCommit(
      [
        { sql: s.gate, params: { types: request.types, now }, isPrepared: true },
        { sql: s.openWithEvents(input.limit), params: input, isPrepared: true },
      ],
      true,
    )) as [Row[], (JobRow & { eventData?: string })[]];
    const rows = started.map(({ eventData: _data, ...row }) => row);
    const anyLimited = Boolean(gate?.anyLimited);
    // The starts read their time after the gate (readingClock); so does what follows.
    const after = request.now ?? new Date();
    return { rows, now: after, anyLimited, isCommitted: true, isLimitedLeft: anyLimited };
  }
  if (isOpenOnly) {
    const sentAt = request.now ?? new Date();
    const [[gate], rows] = (await tx.allInTurn([
      { sql: s.gate, params: { types: request.types, now: sentAt } },
      { sql: s.open(request.limit), params: inputAt(sentAt) },
    ])) as [Row[], JobRow[]];
    const now = request.now ?? new Date();
    if (!gate?.anyLimited) return { rows, now, anyLimited: false };
    const input = inputAt(now);
    const limited = await limitedPath(tx, s, input, turn, input.limit - rows.length);
    return { rows: [...rows, ...limited.rows], now, anyLimited: true };
  }
  let gate: Row | undefined;
  let now: Date;
  let picked: Row[] | undefined;
  if (isPickWithGate && (turn % 2 === 0 || !isOpenExpected)) {
    // The limited path will go first, or the open path is expected to find nothing: the limited
    // queues are picked in the gate's message (one round trip fewer). Were there no limited queue
    // after all, the pick found none.
    const pickedAt = request.now ?? new Date();
    const pick = s.pickQueues({ params: inputAt(pickedAt), isPrepared: true });
    const answers = await tx.allInTurn([
      { sql: s.gate, params: { types: request.types, now: pickedAt }, isPrepared: true },
      ...pick.statements,
    ]);
    [gate] = answers[0]!;
    picked = pick.picked(answers, 1);
    // The starts' time is read after the gate, as below: the message may have waited for a queue
    // change (a resume) to commit, and a start must not be recorded before it.
    now = request.now ?? new Date();
  } else {
    [gate] = await tx.all(s.gate, { types: request.types, now: request.now ?? new Date() });
    // The claim's time is read once it holds what it waited for (SQLite's write lock, PostgreSQL's
    // gate): a start is recorded at the moment it really happens, not before a wait.
    now = request.now ?? new Date();
  }
  const input = inputAt(now);
  const anyOpen = Boolean(gate?.anyOpen);
  const open = async (limit: number) =>
    limit > 0 && gate?.anyOpen ? ((await tx.all(s.open(limit), input)) as JobRow[]) : [];
  if (!gate?.anyLimited) return { rows: await open(input.limit), now, anyLimited: false, anyOpen };
  // Turn about: neither path can keep the other's jobs waiting while this process has slots.
  if (turn % 2 === 0 && gate.anyOpen) {
    const limited = await limitedPath(tx, s, input, turn, input.limit, false, picked);
    return {
      rows: [...limited.rows, ...(await open(input.limit - limited.rows.length))],
      now,
      anyLimited: true,
      anyOpen,
    };
  }
  // The limited path goes last (its turn, or no open queue has a job): its last start may commit.
  const rows = await open(input.limit);
  const limited = await limitedPath(tx, s, input, turn, input.limit - rows.length, rows.length === 0, picked);
  return {
    rows: [...rows, ...limited.rows],
    now,
    anyLimited: true,
    anyOpen,
    isCommitted: limited.isCommitted,
  };
}

/** The limited path: the least recently visited limited queues, each within its limits. */
async function limitedPath(
  tx: Tx,
  s: Statements,
  input: ClaimInput,
  turn: number,
  limit: number,
  /**
   * Nothing follows the limited path in the claim's transaction, and nothing was started before
   * it: the start of its last queue may go with the COMMIT, its events written by the statement.
   */
  isLast = false,
  /** The queues, when the gate's message picked them already. */
  picked?: Row[],
): Promise<{ rows: JobRow[]; isCommitted: boolean }> {
  const claimed: JobRow[] = [];
  if (limit <= 0) return { rows: claimed, isCommitted: false };
  const pickNow = async () => {
    const pick = s.pickQueues({ params: input });
    return pick.picked(await tx.allInTurn(pick.statements));
  };
  const queues = (picked ?? (await pickNow()))
    .map(asQueueRow)
    .sort((a, b) => a.userId.localeCompare(b.userId) || a.name.localeCompare(b.name));
  for (const [i, queue] of queues.entries()) {
    const room = limit - claimed.length;
    // Every queue picked was marked visited, so the next claim looks at others first.
    const isKeylessFirst = Math.floor(turn / 2) % 2 === 1;
    const isLastStart = isLast && i === queues.length - 1 && claimed.length === 0;
    const result = await claimFromQueue(tx, s, queue, input, room, isKeylessFirst, isLastStart);
    claimed.push(...result.rows);
    if (result.isCommitted) return { rows: claimed, isCommitted: true };
  }
  return { rows: claimed, isCommitted: false };
}
