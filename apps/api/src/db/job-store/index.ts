import type { Database, NewEvent, Row, Tx } from "../index.js";
import type { JobRow } from "../rows.js";
import { createSettleQueue } from "./settle-queue.js";
import {
  cancelPendingSql,
  claimSql,
  hasRunnableSql,
  insertJobSql,
  ownJobSql,
  reapSqls,
  renewLeaseSql,
  requestCancelSql,
  settleSql,
  upsertArtifactSql,
} from "./statements.js";
import { LEASE_EXPIRED_ERROR, type AttemptOutcome, type Fence, type JobStore } from "./types.js";

export * from "./types.js";

/** Attempts written in one transaction at most. */
const SETTLE_BATCH = 100;

type Settle = { fence: Fence; outcome: AttemptOutcome; now: Date };

const isPlainCompletion = ({ outcome }: Settle) => outcome.status === "completed" && !outcome.artifact;

const asJobRow = (row: Row) => row as JobRow;

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
  const claim = claimSql(sql);
  const hasRunnable = hasRunnableSql(sql);
  const reap = reapSqls(sql);

  const appendEvents = async (tx: Tx, rows: JobRow[], now: Date) => {
    if (rows.length === 0) return;
    const events: NewEvent[] = rows.map((row) => ({
      userId: row.userId,
      jobId: row.id,
      data: eventData(row),
    }));
    await db.appendEvents(tx, events, now);
  };

  /** One attempt's end inside a transaction; null when the fence no longer holds. */
  const settleOne = async (tx: Tx, { fence, outcome, now }: Settle): Promise<JobRow | null> => {
    const statement = settleSql(outcome);
    const [row] = await tx.all(statement.sql, { ...fence, now, ...statement.params });
    if (!row) return null;
    if (outcome.status === "completed" && outcome.artifact) {
      const { contentType, bytes } = outcome.artifact;
      await tx.run(upsertArtifactSql, { jobId: fence.id, contentType, bytes, size: bytes.length, now });
    }
    return asJobRow(row);
  };

  /**
   * Attempts that ended together, in one transaction: one event append (so one turn at
   * PostgreSQL's event-order lock) and one commit for all of them, instead of one each.
   */
  const settleBatch = (batch: Settle[]) =>
    writer.transaction(async (tx) => {
      const rows: (JobRow | null)[] = batch.map(() => null);
      const plain = sql.completeManySql
        ? batch.flatMap((item, i) => (isPlainCompletion(item) ? [i] : []))
        : [];
      if (sql.completeManySql && plain.length > 1) {
        // The usual case, jobs that completed with a JSON result: one fenced UPDATE for all of them.
        const items = plain.map((i) => batch[i]!);
        const completed = await tx.all(sql.completeManySql, {
          ids: items.map((item) => item.fence.id),
          attempts: items.map((item) => String(item.fence.attempts)),
          owners: items.map((item) => item.fence.leaseOwner),
          results: items.map((item) => JSON.stringify((item.outcome as { result: unknown }).result ?? null)),
          nows: items.map((item) => item.now.toISOString()),
        });
        const byId = new Map(completed.map((row) => [row.id as string, asJobRow(row)]));
        for (const i of plain) rows[i] = byId.get(batch[i]!.fence.id) ?? null;
      }
      const isDone = new Set(plain.length > 1 ? plain : []);
      for (const [i, item] of batch.entries()) if (!isDone.has(i)) rows[i] = await settleOne(tx, item);
      const settled = rows.filter((row): row is JobRow => row !== null);
      await appendEvents(tx, settled, batch.at(-1)!.now);
      for (const type of new Set(settled.filter((r) => r.status === "pending").map((r) => r.type)))
        await tx.signal("jobs", type);
      return rows;
    });

  const settle = createSettleQueue(settleBatch, SETTLE_BATCH);

  return {
    insertJob: (job, now, also) =>
      writer.transaction(async (tx) => {
        const [inserted] = await tx.all(insertJobSql, {
          ...job,
          payload: JSON.stringify(job.payload ?? null),
          now,
        });
        const row = asJobRow(inserted!);
        await appendEvents(tx, [row], now);
        await also?.(tx, row);
        await tx.signal("jobs", row.type);
        return row;
      }),

    claimJobs: async ({ owner, types, limit, leaseMs, now }) => {
      if (db.isClaimPeekWorthwhile && (await db.read.all(hasRunnable, { types, now })).length === 0)
        return [];
      return writer.transaction(async (tx) => {
        const claimed = await tx.all(claim, {
          owner,
          types,
          limit,
          now,
          leaseUntil: new Date(now.getTime() + leaseMs),
        });
        const rows = claimed.map(asJobRow).sort((a, b) => a.runAt - b.runAt || a.id.localeCompare(b.id));
        await appendEvents(tx, rows, now);
        return rows;
      });
    },

    renewLease: (fence, leaseUntil) =>
      writer.transaction(async (tx) => {
        const [row] = await tx.all(renewLeaseSql, { ...fence, leaseUntil });
        return row ? { isCancelRequested: row.cancelRequestedAt != null } : null;
      }),

    settleAttempt: (fence, outcome, now) => settle({ fence, outcome, now }),

    requestCancel: ({ userId, jobId, now }) =>
      writer.transaction(async (tx) => {
        const params = { id: jobId, userId, now };
        const [pending] = await tx.all(cancelPendingSql, params);
        if (pending) {
          const job = asJobRow(pending);
          await appendEvents(tx, [job], now);
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

    reapExpiredLeases: (now) =>
      writer.transaction(async (tx) => {
        const cancelled = await tx.all(reap.cancelled, { now });
        const failed = await tx.all(reap.failed, { now, error: JSON.stringify(LEASE_EXPIRED_ERROR) });
        const retried = await tx.all(reap.retried, { now });
        const rows = [...cancelled, ...failed, ...retried].map(asJobRow);
        await appendEvents(tx, rows, now);
        if (retried.length > 0) await tx.signal("jobs");
        return rows;
      }),
  };
}
