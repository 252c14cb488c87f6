import type { JobError } from "@jobdeck/contract";
import type { Logger } from "pino";
import type { Job as JobRow } from "../../../generated/prisma-sqlite/client.js";
import { toJob } from "../../jobs/mapper.js";
import type { Database, Provider } from "../database.js";
import type { Signals } from "../signals.js";
import type { Dialect, NewEvent, Params, RawRow, Tx } from "./dialect.js";
import { postgresDialect } from "./postgresql.js";
import { sqliteDialect } from "./sqlite.js";

/**
 * Every write that changes a job's state, and the provider-specific SQL it takes (the rest of the
 * code reads through Prisma). Each write is one short transaction that changes the job and appends
 * its event (job_events) together, so the event stream never misses or invents a change.
 *
 * The SQL is written once, here; what differs between the databases (transactions, locking
 * clauses, type conversions, keeping event ids in commit order) is in sqlite.ts and postgresql.ts.
 * Claiming is one conditional UPDATE … RETURNING on both.
 */

export type { JobRow };

/** What a worker's every write is conditioned on: the attempt it holds, as it holds it. */
export type Fence = { id: string; attempts: number; leaseOwner: string };

export type NewJob = {
  id: string;
  userId: string;
  type: string;
  resultType: string;
  payload: unknown;
  maxAttempts: number;
  timeoutMs: number;
};

export type Artifact = { contentType: string; bytes: Buffer };

/**
 * The answer to store for a claimed Idempotency-Key, in the same transaction as the job it creates:
 * a crash leaves both or neither.
 */
export type IdempotentAnswer = {
  ticket: { userId: string; key: string; claimedAt: Date };
  render(row: JobRow): { status: number; body: unknown };
};

/** How an attempt ends, as far as the job's row is concerned. */
export type AttemptOutcome =
  | { status: "completed"; result: unknown; artifact?: Artifact }
  | { status: "failed"; error: JobError }
  | { status: "cancelled" }
  /**
   * Back to pending at `runAt`: a retry (`isCounted`) or a hand-back at shutdown (not counted).
   * A job whose cancellation was requested meanwhile is cancelled instead.
   */
  | { status: "pending"; runAt: Date; isCounted: boolean };

export type CancelResult =
  { kind: "cancelled"; job: JobRow } | { kind: "requested"; job: JobRow } | { kind: "ended"; job: JobRow };

export type JobStore = {
  provider: Provider;
  insertJob(job: NewJob, now: Date, answer?: IdempotentAnswer): Promise<JobRow>;
  /** Takes up to `limit` runnable pending jobs of `types` for `owner`, oldest `runAt` first. */
  claimJobs(input: {
    owner: string;
    types: string[];
    limit: number;
    leaseMs: number;
    now: Date;
  }): Promise<JobRow[]>;
  /** Extends the lease the fence holds; null when it holds none any more. */
  renewLease(fence: Fence, leaseUntil: Date): Promise<{ isCancelRequested: boolean } | null>;
  /** Ends an attempt; null (and nothing written) when the fence no longer holds the job. */
  settleAttempt(fence: Fence, outcome: AttemptOutcome, now: Date): Promise<JobRow | null>;
  /** Pending: cancelled now. Running: cancellation requested from its worker. Null when not found. */
  requestCancel(input: { userId: string; jobId: string; now: Date }): Promise<CancelResult | null>;
  /** Jobs whose lease ran out: cancelled if asked to, failed if out of attempts, else pending again. */
  reapExpiredLeases(now: Date): Promise<JobRow[]>;
  /**
   * One statement that writes something besides jobs (idempotency keys, housekeeping deletes), run on
   * the store's connection and in its order. On SQLite every write of a process must go this way: a
   * second connection writing from the same process would wait, synchronously and so with the event
   * loop stopped, for a write lock that this connection holds between two awaits.
   */
  write(sql: string, params?: Params): Promise<{ rows: RawRow[]; count: number }>;
  close(): Promise<void>;
};

export class IdempotencyClaimLostError extends Error {
  constructor() {
    super("the Idempotency-Key was taken over by another request");
    this.name = "IdempotencyClaimLostError";
  }
}

/** The error a job gets when the worker of its last attempt vanished. */
export const LEASE_EXPIRED_ERROR: JobError = {
  code: "LEASE_EXPIRED",
  message:
    "The worker running the last attempt stopped renewing its lease (it crashed, was killed or lost the database)",
};

const REAP_BATCH = 100;
/** Attempts written in one transaction at most. */
const SETTLE_BATCH = 100;

const RUNNING = `"status" = 'running'`;
const FENCED = `"id" = @id AND "attempts" = @attempts AND "leaseOwner" = @leaseOwner AND ${RUNNING}`;
const RELEASE_LEASE = `"leaseOwner" = NULL, "leaseExpiresAt" = NULL`;

const json = (value: unknown) => JSON.stringify(value ?? null);

type Settle = { fence: Fence; outcome: AttemptOutcome; now: Date };

const isPlainCompletion = ({ outcome }: Settle) => outcome.status === "completed" && !outcome.artifact;

const eventsOf = (rows: JobRow[]): NewEvent[] =>
  rows.map((row) => ({ userId: row.userId, jobId: row.id, data: JSON.stringify(toJob(row)) }));

function createJobStore(d: Dialect): JobStore {
  const appendEvents = async (tx: Tx, rows: JobRow[], now: Date) => {
    if (rows.length > 0) await d.insertEvents(tx, eventsOf(rows), now);
  };

  const claimSql = `UPDATE "jobs" SET "status" = 'running', "attempts" = "attempts" + 1,
      "leaseOwner" = @owner, "leaseExpiresAt" = @leaseUntil, "startedAt" = @now, "updatedAt" = @now
    WHERE "id" IN (
      SELECT "id" FROM "jobs"
      WHERE "status" = 'pending' AND "runAt" <= @now AND ${d.typeIn}
      ORDER BY "runAt", "id" LIMIT @limit ${d.skipLocked}
    ) AND "status" = 'pending'
    RETURNING *`;

  const hasRunnableSql = `SELECT 1 FROM "jobs" WHERE "status" = 'pending' AND "runAt" <= @now AND ${d.typeIn} LIMIT 1`;

  /** Expired leases in one state; `extra` narrows them (cancel requested, out of attempts). */
  const reapSql = (
    set: string,
    extra: string,
  ) => `UPDATE "jobs" SET ${set}, ${RELEASE_LEASE}, "updatedAt" = @now
    WHERE "id" IN (
      SELECT "id" FROM "jobs" WHERE ${RUNNING} AND "leaseExpiresAt" < @now ${extra}
      ORDER BY "leaseExpiresAt" LIMIT ${REAP_BATCH} ${d.skipLocked}
    ) AND ${RUNNING} AND "leaseExpiresAt" < @now
    RETURNING *`;

  /** One attempt's end inside a transaction: its fenced UPDATE and artifact; null when the fence no longer holds. */
  const settleIn = async (tx: Tx, { fence, outcome, now }: Settle): Promise<JobRow | null> => {
    let set: string;
    const params: Params = { ...fence, now };
    switch (outcome.status) {
      case "completed":
        set = `"status" = 'completed', "result" = @result, "error" = NULL, "finishedAt" = @now`;
        params.result = json(outcome.result);
        break;
      case "failed":
        set = `"status" = 'failed', "error" = @error, "finishedAt" = @now`;
        params.error = json(outcome.error);
        break;
      case "cancelled":
        set = `"status" = 'cancelled', "finishedAt" = @now`;
        break;
      case "pending":
        // Back to pending, unless its cancellation was asked for meanwhile: then it ends here.
        // A hand-back gives the attempt back: the next claim counts it again.
        set = `"status" = CASE WHEN "cancelRequestedAt" IS NULL THEN 'pending' ELSE 'cancelled' END,
            "finishedAt" = CASE WHEN "cancelRequestedAt" IS NULL THEN "finishedAt" ELSE @now END,
            "runAt" = @runAt${
              outcome.isCounted
                ? ""
                : `, "attempts" = CASE WHEN "cancelRequestedAt" IS NULL THEN "attempts" - 1 ELSE "attempts" END`
            }`;
        params.runAt = outcome.runAt;
        break;
    }
    const [raw] = await tx.all(
      `UPDATE "jobs" SET ${set}, ${RELEASE_LEASE}, "updatedAt" = @now WHERE ${FENCED} RETURNING *`,
      params,
    );
    if (!raw) return null;
    const row = d.decode(raw);
    if (outcome.status === "completed" && outcome.artifact) {
      await tx.all(
        `INSERT INTO "job_artifacts" ("jobId", "contentType", "bytes", "size", "createdAt")
            VALUES (@jobId, @contentType, @bytes, @size, @now)
            ON CONFLICT ("jobId") DO UPDATE SET "contentType" = excluded."contentType",
              "bytes" = excluded."bytes", "size" = excluded."size", "createdAt" = excluded."createdAt"`,
        {
          jobId: row.id,
          contentType: outcome.artifact.contentType,
          bytes: outcome.artifact.bytes,
          size: outcome.artifact.bytes.length,
          now,
        },
      );
    }
    return row;
  };

  /**
   * Attempts that ended together, written in one transaction: one event append (so one turn at
   * PostgreSQL's event-order lock) and one commit for all of them, instead of one each.
   */
  const settleBatch = (batch: Settle[]) =>
    d.transaction(async (tx) => {
      const rows: (JobRow | null)[] = batch.map(() => null);
      const plain = d.completeManySql ? batch.flatMap((item, i) => (isPlainCompletion(item) ? [i] : [])) : [];
      if (d.completeManySql && plain.length > 1) {
        // The usual case, jobs that completed with a JSON result: one fenced UPDATE for all of them.
        const items = plain.map((i) => batch[i]!);
        const raws = await tx.all(d.completeManySql, {
          ids: items.map((item) => item.fence.id),
          attempts: items.map((item) => String(item.fence.attempts)),
          owners: items.map((item) => item.fence.leaseOwner),
          results: items.map((item) => json((item.outcome as { result: unknown }).result)),
          nows: items.map((item) => item.now.toISOString()),
        });
        const byId = new Map(raws.map((raw) => d.decode(raw)).map((row) => [row.id, row]));
        for (const i of plain) rows[i] = byId.get(batch[i]!.fence.id) ?? null;
      }
      const isDone = new Set(plain.length > 1 ? plain : []);
      for (const [i, item] of batch.entries()) if (!isDone.has(i)) rows[i] = await settleIn(tx, item);
      const settled = rows.filter((row): row is JobRow => row !== null);
      await appendEvents(tx, settled, batch.at(-1)!.now);
      for (const type of new Set(settled.filter((r) => r.status === "pending").map((r) => r.type)))
        await tx.signal("jobs", type);
      return rows;
    });

  /**
   * Settles queue while one batch is being written and go together in the next, so the number of
   * transactions follows the database's pace rather than the number of jobs (group commit). Every
   * UPDATE stays fenced, so each attempt is still written at most once.
   */
  const waiting: (Settle & { resolve(row: JobRow | null): void; reject(error: unknown): void })[] = [];
  let isSettling = false;
  const drainSettles = async () => {
    isSettling = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, SETTLE_BATCH);
      try {
        const rows = await settleBatch(batch);
        batch.forEach((item, i) => item.resolve(rows[i] ?? null));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        // One attempt that cannot be written must not fail the others: each alone, so only it fails.
        for (const item of batch) {
          await settleBatch([item]).then(
            ([row]) => item.resolve(row ?? null),
            (e: unknown) => item.reject(e),
          );
        }
      }
    }
    isSettling = false;
  };

  return {
    provider: d.provider,

    insertJob: (job, now, answer) =>
      d.transaction(async (tx) => {
        const [raw] = await tx.all(
          `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "attempts",
              "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt")
            VALUES (@id, @userId, @type, 'pending', @resultType, @payload, 0, @maxAttempts, @timeoutMs,
              @now, @now, @now)
            RETURNING *`,
          { ...job, payload: json(job.payload), now },
        );
        const row = d.decode(raw!);
        await appendEvents(tx, [row], now);
        if (answer) {
          const { status, body } = answer.render(row);
          const saved = await tx.all(
            `UPDATE "idempotency_keys" SET "responseStatus" = @status, "responseBody" = @body
              WHERE "userId" = @userId AND "key" = @key AND "createdAt" = @claimedAt AND "responseStatus" IS NULL
              RETURNING "key"`,
            { ...answer.ticket, status, body: json(body) },
          );
          // The claim was taken over meanwhile (it looked abandoned): this request must not create a job.
          if (saved.length === 0) throw new IdempotencyClaimLostError();
        }
        await tx.signal("jobs", row.type);
        return row;
      }),

    claimJobs: ({ owner, types, limit, leaseMs, now }) => {
      if (d.peek && !d.peek(hasRunnableSql, { types, now })) return Promise.resolve([]);
      return d.transaction(async (tx) => {
        const raws = await tx.all(claimSql, {
          owner,
          types,
          limit,
          now,
          leaseUntil: new Date(now.getTime() + leaseMs),
        });
        const rows = raws
          .map(d.decode)
          .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id.localeCompare(b.id));
        await appendEvents(tx, rows, now);
        return rows;
      });
    },

    renewLease: (fence, leaseUntil) =>
      d.transaction(async (tx) => {
        const [raw] = await tx.all(
          `UPDATE "jobs" SET "leaseExpiresAt" = @leaseUntil WHERE ${FENCED} RETURNING "cancelRequestedAt"`,
          { ...fence, leaseUntil },
        );
        return raw ? { isCancelRequested: raw.cancelRequestedAt != null } : null;
      }),

    settleAttempt: (fence, outcome, now) =>
      new Promise<JobRow | null>((resolve, reject) => {
        waiting.push({ fence, outcome, now, resolve, reject });
        if (isSettling) return;
        isSettling = true;
        // Attempts that end in the same turn of the event loop (jobs claimed together) join this batch.
        setImmediate(() => void drainSettles());
      }),

    requestCancel: ({ userId, jobId, now }) =>
      d.transaction(async (tx): Promise<CancelResult | null> => {
        const params = { id: jobId, userId, now };
        const [pending] = await tx.all(
          `UPDATE "jobs" SET "status" = 'cancelled', "finishedAt" = @now, "updatedAt" = @now
            WHERE "id" = @id AND "userId" = @userId AND "status" = 'pending' RETURNING *`,
          params,
        );
        if (pending) {
          const job = d.decode(pending);
          await appendEvents(tx, [job], now);
          return { kind: "cancelled", job };
        }
        const [running] = await tx.all(
          `UPDATE "jobs" SET "cancelRequestedAt" = COALESCE("cancelRequestedAt", @now)
            WHERE "id" = @id AND "userId" = @userId AND ${RUNNING} RETURNING *`,
          params,
        );
        if (running) {
          await tx.signal("cancel", jobId);
          return { kind: "requested", job: d.decode(running) };
        }
        const [ended] = await tx.all(`SELECT * FROM "jobs" WHERE "id" = @id AND "userId" = @userId`, {
          id: jobId,
          userId,
        });
        return ended ? { kind: "ended", job: d.decode(ended) } : null;
      }),

    reapExpiredLeases: (now) =>
      d.transaction(async (tx) => {
        const cancelled = await tx.all(
          reapSql(`"status" = 'cancelled', "finishedAt" = @now`, `AND "cancelRequestedAt" IS NOT NULL`),
          { now },
        );
        const failed = await tx.all(
          reapSql(
            `"status" = 'failed', "error" = @error, "finishedAt" = @now`,
            `AND "attempts" >= "maxAttempts"`,
          ),
          { now, error: json(LEASE_EXPIRED_ERROR) },
        );
        const retried = await tx.all(reapSql(`"status" = 'pending', "runAt" = @now`, ""), { now });
        const rows = [...cancelled, ...failed, ...retried].map(d.decode);
        await appendEvents(tx, rows, now);
        if (retried.length > 0) await tx.signal("jobs");
        return rows;
      }),

    write: (sql, params = {}) =>
      d.transaction(async (tx) => {
        if (/\bRETURNING\b/i.test(sql)) {
          const rows = await tx.all(sql, params);
          return { rows, count: rows.length };
        }
        return { rows: [], count: await tx.run(sql, params) };
      }),

    close: () => d.close(),
  };
}

export function openJobStore(
  db: Pick<Database, "provider" | "location">,
  options: { signals: Signals; logger: Logger; poolSize?: number },
): JobStore {
  const dialect =
    db.provider === "sqlite"
      ? sqliteDialect(db.location, options.signals)
      : postgresDialect(db.location, options.signals, options.logger, options.poolSize ?? 4);
  return createJobStore(dialect);
}
