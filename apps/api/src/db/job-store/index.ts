import { DEFAULT_QUEUE, LOG_EVENT } from "@jobdeck/contract";
import type { Database, NewEvent, Row, Tx } from "../index.js";
import type { JobRow } from "../rows.js";
import {
  expireAttemptsSql,
  logCounterSql,
  insertLogsSql,
  logStateSql,
  saveLogCounterSql,
  setProgressSql,
} from "./attempt-records.js";
import { keepWithinCap, type LogState } from "./log-cap.js";
import { createSettleQueue } from "./settle-queue.js";
import { claimStatements, claimWithinLimits } from "./claim.js";
import { labelStatements } from "./labels.js";
import { ensureQueueSql, ensureQueuesSql } from "./queue-changes.js";
import {
  cancelPendingManySql,
  cancelPendingSql,
  dedupeHolderSql,
  hasRunnableSql,
  insertJobSql,
  insertJobQuietSql,
  insertJobsSql,
  replacePendingSql,
  ownJobSql,
  reapSqls,
  renewLeaseSql,
  requestCancelManySql,
  requestCancelSql,
  settleSql,
  upsertArtifactSql,
} from "./statements.js";
import {
  LEASE_EXPIRED_ERROR,
  type AlsoInTransaction,
  type AttemptOutcome,
  type CreatedWaits,
  type DedupeRule,
  type Fence,
  type AppendLogsResult,
  type InsertResult,
  type JobStore,
  type NewJob,
  type NewLogLine,
} from "./types.js";

export * from "./types.js";

/** The job events a webhook can hear of (§13), by the change that makes them. */
export type JobWebhookEvent =
  "job.created" | "job.started" | "job.completed" | "job.failed" | "job.cancelled";

/**
 * Which event an attempt's end is. Going back to pending (a retry, a hand-back) is none, unless its
 * cancellation was asked for meanwhile: settleSql then ends it cancelled.
 */
function settleEvent(outcome: AttemptOutcome, row: JobRow): JobWebhookEvent | null {
  switch (outcome.status) {
    case "completed":
      return "job.completed";
    case "failed":
      return "job.failed";
    case "cancelled":
      return "job.cancelled";
    case "pending":
      return row.status === "cancelled" ? "job.cancelled" : null;
  }
}

/** Attempts written in one transaction at most. */
const SETTLE_BATCH = 100;

type Settle = { fence: Fence; outcome: AttemptOutcome; now: Date; lines?: NewLogLine[] | undefined };

const isPlainCompletion = ({ outcome, lines }: Settle) =>
  outcome.status === "completed" && !outcome.artifact && !lines?.length;

const asJobRow = (row: Row) => row as JobRow;

const asCreatedWaits = ({ workerTypes, ...queue }: Row): CreatedWaits => ({
  workerTypes: workerTypes as string[],
  queue: queue as CreatedWaits["queue"],
});

/** SqlFragments.completeManySql's parameters for plain completions (isPlainCompletion). */
const completeManyParams = (items: Settle[]) => ({
  ids: items.map((item) => item.fence.id),
  attempts: items.map((item) => String(item.fence.attempts)),
  owners: items.map((item) => item.fence.leaseOwner),
  results: items.map((item) => JSON.stringify((item.outcome as { result: unknown }).result ?? null)),
  nows: items.map((item) => item.now.toISOString()),
});

/**
 * The row insertJobSql writes for these parameters, as the database would return it: a create
 * without a dedupe key cannot conflict, so it need not wait for RETURNING. `isLimited` is not known
 * without reading the queue (the INSERT reads it); nothing after a create looks at it.
 */
const pendingRow = (p: {
  id: string;
  userId: string;
  type: string;
  resultType: string;
  payload: string;
  maxAttempts: number;
  timeoutMs: number;
  runAt: Date;
  now: Date;
  queue: string;
  priority: number;
  concurrencyKey: string | null;
  scheduleId: string | null;
  batchId: string | null;
  retryOf: string | null;
  tags: string | null;
  metadata: string | null;
}): JobRow => ({
  id: p.id,
  userId: p.userId,
  type: p.type,
  status: "pending",
  resultType: p.resultType,
  payload: p.payload,
  result: null,
  error: null,
  attempts: 0,
  maxAttempts: p.maxAttempts,
  timeoutMs: p.timeoutMs,
  runAt: p.runAt.getTime(),
  leaseOwner: null,
  leaseExpiresAt: null,
  cancelRequestedAt: null,
  createdAt: p.now.getTime(),
  updatedAt: p.now.getTime(),
  startedAt: null,
  finishedAt: null,
  queue: p.queue,
  priority: p.priority,
  concurrencyKey: p.concurrencyKey,
  dedupeKey: null,
  dedupeSlot: null,
  isLimited: false,
  scheduleId: p.scheduleId,
  batchId: p.batchId,
  retryOf: p.retryOf,
  tags: p.tags,
  metadata: p.metadata,
  progress: null,
});

/** §15's columns as stored: JSON text, or NULL for none (shown as [] and {}). */
const labelColumns = (job: NewJob) => ({
  retryOf: job.retryOf ?? null,
  tags: job.tags && job.tags.length > 0 ? JSON.stringify(job.tags) : null,
  metadata: job.metadata && Object.keys(job.metadata).length > 0 ? JSON.stringify(job.metadata) : null,
});

/** Debounce (§11): now + debounceMs, but never later than debounceMaxMs after the holder was created, nor before now. */
const debouncedRunAt = (holder: JobRow, now: number, debounceMs: number, debounceMaxMs: number | undefined) =>
  new Date(
    debounceMaxMs === undefined
      ? now + debounceMs
      : Math.max(now, Math.min(now + debounceMs, holder.createdAt + debounceMaxMs)),
  );

/**
 * The job store on the process's writer (see db/index.ts). `eventData` is what each change's event
 * carries: the job as the API shows it (jobs/mapper.ts), passed in so that the store stays below
 * the API's code.
 */
export function createJobStore(
  db: Pick<Database, "sql" | "read" | "writer" | "appendEvents" | "isClaimPeekWorthwhile">,
  { eventData }: { eventData: (row: JobRow) => string },
): JobStore {
  const { sql, writer } = db;
  const claim = claimStatements(sql);
  const dedupeHolder = dedupeHolderSql(sql);
  const ensureQueue = ensureQueueSql(sql);
  const ensureQueues = ensureQueuesSql(sql);
  const insertJobs = insertJobsSql(sql);
  let claimTurn = 0;
  /** Whether the last claim found a limited queue (claim.ts, claimWithinLimits's isOpenOnly). */
  let lastSawLimited = true;
  /** Whether the last claim that asked found an open queue's job runnable (claim.ts, isOpenExpected). */
  let lastSawOpen = true;
  const hasRunnable = hasRunnableSql(sql);
  const reap = reapSqls(sql);
  const labels = labelStatements(sql);
  const cancelPendingMany = cancelPendingManySql(sql);
  const requestCancelMany = requestCancelManySql(sql);
  const expireAttempts = expireAttemptsSql(sql);
  const logState = logStateSql(sql);
  const insertLogs = insertLogsSql(sql);

  /**
   * Each change's event, and the webhook messages it causes (§13): `webhookEvent` says which event
   * the change is, per row, from what the call site did (null: one no webhook hears of).
   */
  const appendEvents = async (
    tx: Tx,
    rows: JobRow[],
    now: Date,
    webhookEvent: JobWebhookEvent | null | ((row: JobRow) => JobWebhookEvent | null),
  ) => {
    if (rows.length === 0) return;
    const events: NewEvent[] = rows.map((row) => ({
      userId: row.userId,
      jobId: row.id,
      data: eventData(row),
      webhookEvent: typeof webhookEvent === "function" ? webhookEvent(row) : webhookEvent,
      jobType: row.type,
      queue: row.queue,
    }));
    await db.appendEvents(tx, events, now);
  };

  /**
   * Log lines of one attempt within the job's cap (`state` says how far its log has come), with
   * their `log` events: one INSERT for the lines, one for the counters.
   */
  const writeLogLines = async (
    tx: Tx,
    state: LogState & { id: string; attempt: number },
    lines: NewLogLine[],
    alsoDropped: number,
    now: Date,
  ): Promise<AppendLogsResult> => {
    const cap = keepWithinCap(state, lines, alsoDropped);
    const kept = lines.slice(0, cap.kept).map((line, i) => ({ ...line, seq: cap.firstSeq + i }));
    if (kept.length > 0)
      await tx.run(insertLogs, {
        id: state.id,
        attempts: state.attempt,
        lines: JSON.stringify(
          kept.map(({ seq, level, message, fields, at }) => ({
            seq,
            level,
            message,
            fields,
            at: at.getTime(),
          })),
        ),
      });
    await tx.run(saveLogCounterSql, { id: state.id, ...cap.counter });
    if (kept.length > 0)
      await db.appendEvents(
        tx,
        kept.map((line) => ({
          userId: state.userId,
          jobId: state.id,
          kind: LOG_EVENT,
          data: JSON.stringify({
            jobId: state.id,
            seq: line.seq,
            attempt: state.attempt,
            level: line.level,
            message: line.message,
            fields: line.fields === null ? null : (JSON.parse(line.fields) as unknown),
            at: line.at.toISOString(),
          }),
          webhookEvent: null,
          jobType: state.type,
          queue: state.queue,
        })),
        now,
      );
    return { kept: kept.length, dropped: lines.length - kept.length + alsoDropped };
  };

  /** One attempt's end inside a transaction; null when the fence no longer holds. */
  const settleOne = async (tx: Tx, { fence, outcome, now, lines }: Settle): Promise<JobRow | null> => {
    const statement = settleSql(sql, outcome);
    const params = { ...fence, now, ...statement.params };
    const [row] = await tx.all(statement.sql, params);
    if (!row) return null;
    if (statement.endAttempt) await tx.run(statement.endAttempt, params);
    if (lines && lines.length > 0) {
      // The product's own lines (a retry's reason), written with the end they explain.
      const [counter] = await tx.all(logCounterSql, { id: fence.id });
      const job = asJobRow(row);
      await writeLogLines(
        tx,
        {
          ...(counter as Partial<LogState>),
          userId: job.userId,
          type: job.type,
          queue: job.queue,
          id: job.id,
          attempt: fence.attempts,
        } as LogState & { id: string; attempt: number },
        lines,
        0,
        now,
      );
    }
    if (outcome.status === "completed" && outcome.artifact) {
      const { contentType, bytes } = outcome.artifact;
      await tx.run(upsertArtifactSql, { jobId: fence.id, contentType, bytes, size: bytes.length, now });
    }
    return asJobRow(row);
  };

  /**
   * Attempts that ended together, in one transaction: one event append and one commit for all of
   * them, instead of one each.
   */
  const settleBatch = (batch: Settle[]) =>
    writer.transaction(async (tx) => {
      if (sql.completeManyWithEventsSql && tx.allThenCommit && batch.every(isPlainCompletion)) {
        // Jobs that completed with a JSON result, the usual case: where that can be one message
        // (PostgreSQL), BEGIN, their fenced UPDATE with its attempt rows and events, and COMMIT.
        const [completed] = await tx.allThenCommit(
          [
            {
              sql: sql.completeManyWithEventsSql,
              params: { ...completeManyParams(batch), now: batch.at(-1)!.now },
              isPrepared: true,
            },
          ],
          true,
        );
        const byId = new Map(
          completed!.map(({ eventData: _data, ...row }) => [row.id as string, asJobRow(row)]),
        );
        return batch.map((item) => byId.get(item.fence.id) ?? null);
      }
      const rows: (JobRow | null)[] = batch.map(() => null);
      const plain = sql.completeManySql
        ? batch.flatMap((item, i) => (isPlainCompletion(item) ? [i] : []))
        : [];
      if (sql.completeManySql && plain.length > 1) {
        // The usual case, jobs that completed with a JSON result: one fenced UPDATE for all of them.
        const items = plain.map((i) => batch[i]!);
        const completed = await tx.all(sql.completeManySql, completeManyParams(items));
        // SQLite has no completeManySql; PostgreSQL's closes the attempt rows itself.
        const byId = new Map(completed.map((row) => [row.id as string, asJobRow(row)]));
        for (const i of plain) rows[i] = byId.get(batch[i]!.fence.id) ?? null;
      }
      const isDone = new Set(plain.length > 1 ? plain : []);
      for (const [i, item] of batch.entries()) if (!isDone.has(i)) rows[i] = await settleOne(tx, item);
      const settledEvents = new Map<JobRow, JobWebhookEvent | null>();
      for (const [i, row] of rows.entries())
        if (row) settledEvents.set(row, settleEvent(batch[i]!.outcome, row));
      const settled = [...settledEvents.keys()];
      await appendEvents(tx, settled, batch.at(-1)!.now, (row) => settledEvents.get(row) ?? null);
      for (const type of new Set(settled.filter((r) => r.status === "pending").map((r) => r.type)))
        await tx.signal("jobs", type);
      return rows;
    });

  const settle = createSettleQueue(settleBatch, SETTLE_BATCH);

  /** A new job's columns as the statements take them. */
  const paramsOf = (job: NewJob, now: Date) => ({
    ...job,
    queue: job.queue ?? DEFAULT_QUEUE,
    priority: job.priority ?? 0,
    runAt: job.runAt ?? now,
    concurrencyKey: job.concurrencyKey ?? null,
    dedupeKey: job.dedupeKey ?? null,
    scheduleId: job.scheduleId ?? null,
    batchId: job.batchId ?? null,
    ...labelColumns(job),
    payload: JSON.stringify(job.payload ?? null),
    now,
  });

  /** Whether a create alone in its transaction can be createJobSql's one call (no dedupe key, no labels). */
  const isCreateCall = (params: ReturnType<typeof paramsOf>) =>
    sql.createJobSql !== undefined &&
    params.dedupeKey === null &&
    params.tags === null &&
    params.metadata === null;

  /**
   * A create alone in its transaction as createJobSql's one call: the writes insertOrDeduplicate
   * makes for a job without a dedupe key (its event the transaction's last write, as appendEvents's
   * would be), whose plans PostgreSQL keeps; `waits` comes with the commit.
   */
  const createByCall = (params: ReturnType<typeof paramsOf>, aliveSince: Date) =>
    writer.transaction((tx) => {
      const row = pendingRow(params);
      const waits = tx.deferAll(sql.createJobSql!, { ...params, eventData: eventData(row), aliveSince });
      // Creates commit side by side: their NOTIFYs go after each commit, not in it (signalAfterCommit).
      tx.signalAfterCommit("jobs", row.type);
      tx.signalAfterCommit("events");
      return Promise.resolve({ row, waits });
    });

  const create = (job: NewJob, now: Date, dedupe: DedupeRule, also?: AlsoInTransaction) =>
    writer.transaction(async (tx) => {
      const result = await insertOrDeduplicate(tx, job, now, dedupe);
      if (result.kind !== "type-conflict") await also?.(tx, result.row, result.kind === "deduplicated");
      return result;
    });

  /** create for a job without a dedupe key, which is always created. */
  const createUnkeyed = async (job: NewJob, now: Date, also?: AlsoInTransaction) => {
    const result = await create({ ...job, dedupeKey: null }, now, { mode: "skip" }, also);
    if (result.kind !== "created") throw new Error("a job without a dedupe key is always created");
    return result.row;
  };

  /**
   * Inserts the job, or finds the pending job that holds its dedupe key and applies `dedupe` to it.
   * The insert and the lookup go round again when the holder was claimed or cancelled in between.
   */
  const insertOrDeduplicate = async (
    tx: Tx,
    job: NewJob,
    now: Date,
    dedupe: DedupeRule,
  ): Promise<InsertResult> => {
    const params = paramsOf(job, now);
    if (params.dedupeKey === null) {
      // No dedupe key, so no conflict: the row is known before it is written, and the whole create
      // (its queue, the row, its labels, its event and NOTIFY) goes with the COMMIT in one message
      // on PostgreSQL (Tx.defer), as one add_job call does for graphile-worker.
      const row = pendingRow(params);
      tx.defer(ensureQueue, params);
      tx.defer(insertJobQuietSql, params);
      await labels.insertLabels(tx, [row]);
      await appendEvents(tx, [row], now, "job.created");
      await tx.signal("jobs", row.type);
      return { kind: "created", row };
    }
    await tx.all(ensureQueue, params);
    for (;;) {
      const [inserted] = await tx.all(insertJobSql, params);
      if (inserted) {
        const row = asJobRow(inserted);
        await labels.insertLabels(tx, [row]);
        await appendEvents(tx, [row], now, "job.created");
        await tx.signal("jobs", row.type);
        return { kind: "created", row };
      }
      const [found] = await tx.all(dedupeHolder, params);
      if (!found) continue;
      const holder = asJobRow(found);
      if (holder.type !== job.type) return { kind: "type-conflict", holder };
      if (dedupe.mode === "skip") return { kind: "deduplicated", row: holder };
      const runAt =
        dedupe.mode === "debounce"
          ? debouncedRunAt(holder, now.getTime(), dedupe.debounceMs, dedupe.debounceMaxMs)
          : params.runAt;
      const [replaced] = await tx.all(replacePendingSql, { ...params, id: holder.id, runAt });
      if (!replaced) continue;
      const row = asJobRow(replaced);
      await labels.replaceLabels(tx, holder, row);
      // The pending job changed; it was not created again.
      await appendEvents(tx, [row], now, null);
      await tx.signal("jobs", row.type);
      return { kind: "deduplicated", row };
    }
  };

  /**
   * Many pending jobs without dedupe keys inside `tx`: one statement for their queues, one for the
   * jobs, one append of their events. Rows come back in the order of `jobs`. A batch (§12) commits
   * them alone; a schedule's firing pass with the fire times it records.
   */
  const insertMany = async (tx: Tx, jobs: NewJob[], now: Date): Promise<JobRow[]> => {
    if (jobs.some((job) => job.dedupeKey != null))
      throw new Error("insertJobs takes no dedupe keys: one of them could fold into a pending job");
    if (jobs.length === 0) return [];
    const rows = jobs.map((job) => ({
      id: job.id,
      userId: job.userId,
      type: job.type,
      resultType: job.resultType,
      payload: JSON.stringify(job.payload ?? null),
      maxAttempts: job.maxAttempts,
      timeoutMs: job.timeoutMs,
      runAt: (job.runAt ?? now).getTime(),
      queue: job.queue ?? DEFAULT_QUEUE,
      priority: job.priority ?? 0,
      concurrencyKey: job.concurrencyKey ?? null,
      scheduleId: job.scheduleId ?? null,
      batchId: job.batchId ?? null,
      ...labelColumns(job),
    }));
    const queues = new Map(rows.map((row) => [`${row.userId}\u0000${row.queue}`, row]));
    await tx.all(ensureQueues, {
      queues: JSON.stringify([...queues.values()].map((row) => ({ userId: row.userId, name: row.queue }))),
      now,
    });
    const inserted = new Map(
      (await tx.all(insertJobs, { jobs: JSON.stringify(rows), now })).map((row) => [
        row.id as string,
        asJobRow(row),
      ]),
    );
    if (inserted.size !== rows.length) throw new Error("a batch insert returned another number of rows");
    const ordered = rows.map((row) => inserted.get(row.id)!);
    await labels.insertLabels(tx, ordered);
    await appendEvents(tx, ordered, now, "job.created");
    for (const type of new Set(rows.map((row) => row.type))) await tx.signal("jobs", type);
    return ordered;
  };

  const store: JobStore = {
    insertJob: async (job, now, also) => {
      if (also === undefined && sql.createJobSql) {
        const params = paramsOf(job, now);
        if (isCreateCall(params)) return (await createByCall(params, now)).row;
      }
      return createUnkeyed(job, now, also);
    },

    insertOrDeduplicate: create,

    insertJobAndExplain: async (job, now, aliveSince) => {
      const params = paramsOf(job, now);
      if (!isCreateCall(params)) return { row: await createUnkeyed(job, now), waits: undefined };
      const { row, waits } = await createByCall(params, aliveSince);
      const [read] = await waits;
      return { row, waits: read && asCreatedWaits(read) };
    },

    insertJobs: (jobs, now, also) =>
      writer.transaction(async (tx) => {
        const ordered = await insertMany(tx, jobs, now);
        if (ordered.length > 0) await also?.(tx, ordered);
        return ordered;
      }),

    insertJobsIn: insertMany,

    claimJobs: async ({ owner, types, limit, leaseMs, now }) => {
      const peekAt = now ?? new Date();
      if (db.isClaimPeekWorthwhile && (await db.read.all(hasRunnable, { types, now: peekAt })).length === 0)
        return [];
      // A limited queue counts its running jobs: those whose outcomes this process is still writing
      // count until written, so a claim that overtook them would find their slots taken (R10: a claim
      // of none before every claim of a batch). While a limited queue exists, claims wait for them.
      if (lastSawLimited && sql.queueGate) await settle.written();
      const turn = claimTurn++;
      const claimed = await writer.transaction(async (tx) => {
        const result = await claimWithinLimits(
          tx,
          claim,
          { owner, types, limit, leaseMs, now },
          turn,
          // Where a statement costs a round trip (PostgreSQL), and the last claim saw no limited queue.
          sql.queueGate !== undefined && !lastSawLimited,
          { isPickWithGate: sql.queueGate !== undefined, isOpenExpected: lastSawOpen },
        );
        lastSawLimited = result.anyLimited;
        if (result.anyOpen !== undefined) lastSawOpen = result.anyOpen;
        const rows = result.rows.sort((a, b) => a.runAt - b.runAt || a.id.localeCompare(b.id));
        // A claim in one message (claimWithinLimits) has written its attempt rows and events.
        if (result.isCommitted) return result;
        if (claim.recordAttempts && rows.length > 0)
          await tx.run(claim.recordAttempts, { ids: rows.map((row) => row.id), owner });
        await appendEvents(tx, rows, result.now, "job.started");
        return result;
      });
      // It saw a limited queue it could not look at: the limited path's turn, in a claim of its own.
      if (claimed.isLimitedLeft && claimed.rows.length < limit)
        return [
          ...claimed.rows,
          ...(await store.claimJobs({ owner, types, limit: limit - claimed.rows.length, leaseMs, now })),
        ];
      return claimed.rows;
    },

    renewLease: (fence, leaseUntil) =>
      writer.transaction(async (tx) => {
        const [row] = await tx.all(renewLeaseSql, { ...fence, leaseUntil });
        return row ? { isCancelRequested: row.cancelRequestedAt != null } : null;
      }),

    settleAttempt: (fence, outcome, now, lines) => settle({ fence, outcome, now, lines }),

    setProgress: (fence, progress, now) =>
      writer.transaction(async (tx) => {
        const [row] = await tx.all(setProgressSql, { ...fence, progress, now });
        if (!row) return false;
        await appendEvents(tx, [asJobRow(row)], now, null);
        return true;
      }),

    appendLogs: (fence, lines, alsoDropped, now) =>
      writer.transaction(async (tx) => {
        const [state] = await tx.all(logState, fence);
        if (!state) return null;
        return writeLogLines(
          tx,
          { ...(state as LogState), id: fence.id, attempt: fence.attempts },
          lines,
          alsoDropped,
          now,
        );
      }),

    requestCancel: ({ userId, jobId, now }) =>
      writer.transaction(async (tx) => {
        const params = { id: jobId, userId, now };
        const [pending] = await tx.all(cancelPendingSql, params);
        if (pending) {
          const job = asJobRow(pending);
          await appendEvents(tx, [job], now, "job.cancelled");
          return { kind: "cancelled" as const, job };
        }
        const [running] = await tx.all(requestCancelSql, params);
        if (running) {
          await tx.signal("cancel", jobId);
          return { kind: "requested" as const, job: asJobRow(running) };
        }
        const [ended] = await tx.all(ownJobSql, { id: jobId, userId });
        return ended ? { kind: "ended" as const, job: asJobRow(ended) } : null;
      }),

    cancelJobsIn: async (tx, { userId, ids, now }) => {
      const params = { ids: [...ids], userId, now };
      const cancelled = (await tx.all(cancelPendingMany, params)).map(asJobRow);
      await appendEvents(tx, cancelled, now, "job.cancelled");
      const requested = (await tx.all(requestCancelMany, params)).map((row) => row.id as string);
      for (const id of requested) await tx.signal("cancel", id);
      return { cancelled, requested };
    },

    reapExpiredLeases: (now) =>
      writer.transaction(async (tx) => {
        const cancelled = (await tx.all(reap.cancelled, { now })).map(asJobRow);
        const failed = (await tx.all(reap.failed, { now, error: JSON.stringify(LEASE_EXPIRED_ERROR) })).map(
          asJobRow,
        );
        const retried = (await tx.all(reap.retried, { now })).map(asJobRow);
        const rows = [...cancelled, ...failed, ...retried];
        if (rows.length > 0)
          await tx.run(expireAttempts, {
            ids: rows.map((row) => row.id),
            error: JSON.stringify(LEASE_EXPIRED_ERROR),
            now,
          });
        await appendEvents(tx, cancelled, now, "job.cancelled");
        await appendEvents(tx, failed, now, "job.failed");
        await appendEvents(tx, retried, now, null);
        if (retried.length > 0) await tx.signal("jobs");
        return rows;
      }),
  };
  return store;
}
