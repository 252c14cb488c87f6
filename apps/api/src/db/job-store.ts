import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { Logger } from "pino";
import type { JobError } from "@jobdeck/contract";
import type { Job as JobRow } from "../../generated/prisma-sqlite/client.js";
import { toJob } from "../jobs/mapper.js";
import { SQLITE_BUSY_TIMEOUT_MS, type Database, type Provider } from "./database.js";
import { PG_CHANNELS, type SignalChannel, type Signals } from "./signals.js";

/**
 * Every write that changes a job's state, and the provider-specific SQL it takes (the rest of the
 * code reads through Prisma). Each write is one short transaction that changes the job and appends
 * its event (job_events) together, so the event stream never misses or invents a change.
 *
 * - SQLite: a dedicated better-sqlite3 connection. Its statements are synchronous, so a transaction
 *   never waits on I/O while it holds the database's one write lock (other processes wait for that
 *   lock with their event loops blocked). Writes begin IMMEDIATE, so no transaction reads and then
 *   upgrades to a write. Claiming is one conditional UPDATE … RETURNING.
 * - PostgreSQL: a small pg pool of its own. Claiming locks rows with FOR UPDATE SKIP LOCKED, so
 *   workers never wait for each other. Event inserts take a transaction-scoped advisory lock, so
 *   event ids are committed in increasing order and a reader that has seen id n never later finds
 *   a smaller one. NOTIFY is sent inside the transaction, so other processes hear of a change
 *   exactly when it commits.
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
  insertJob(job: NewJob, now: Date): Promise<JobRow>;
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
  close(): Promise<void>;
};

/** The error a job gets when the worker of its last attempt vanished. */
export const LEASE_EXPIRED_ERROR: JobError = {
  code: "LEASE_EXPIRED",
  message:
    "The worker running the last attempt stopped renewing its lease (it crashed, was killed or lost the database)",
};

/** Any 64-bit key works; it only has to differ from other advisory locks on the same database. */
const EVENT_ORDER_LOCK = 7_102_025_001;
const REAP_BATCH = 100;

type Params = Record<string, unknown>;
type RawRow = Record<string, unknown>;

type Tx = {
  all(sql: string, params?: Params): Promise<RawRow[]>;
  /** Tells this process after the commit, and (PostgreSQL) every listening process at the commit. */
  signal(channel: SignalChannel, payload?: string): Promise<void>;
  /** Tells this process after the commit: for a signal whose NOTIFY the SQL itself sent. */
  signalHere(channel: SignalChannel, payload?: string): void;
};

type NewEvent = { userId: string; jobId: string; data: string };

type Dialect = {
  provider: Provider;
  /** Restricts a subquery's rows to those no other transaction holds (PostgreSQL). */
  skipLocked: string;
  /** A condition on "type" against the array parameter @types. */
  typeIn: string;
  decode(this: void, row: RawRow): JobRow;
  /**
   * Whether a claim could find anything, read without a transaction; absent where claiming an empty
   * queue costs nothing. On SQLite an UPDATE takes the write lock even when it matches no row, and
   * every idle worker polls.
   */
  peek?(sql: string, params: Params): boolean;
  /** Appends events so that their ids commit in increasing order, and tells listeners. */
  insertEvents(tx: Tx, events: NewEvent[], now: Date): Promise<void>;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

const RUNNING = `"status" = 'running'`;
const FENCED = `"id" = @id AND "attempts" = @attempts AND "leaseOwner" = @leaseOwner AND ${RUNNING}`;
const RELEASE_LEASE = `"leaseOwner" = NULL, "leaseExpiresAt" = NULL`;

const json = (value: unknown) => JSON.stringify(value ?? null);

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

  return {
    provider: d.provider,

    insertJob: (job, now) =>
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
      d.transaction(async (tx) => {
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
        await appendEvents(tx, [row], now);
        if (row.status === "pending") await tx.signal("jobs", row.type);
        return row;
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

    close: () => d.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// SQLite

const DATE_COLUMNS = [
  "runAt",
  "leaseExpiresAt",
  "cancelRequestedAt",
  "createdAt",
  "updatedAt",
  "startedAt",
  "finishedAt",
] as const;
const JSON_COLUMNS = ["payload", "result", "error"] as const;

/** A small queue: one transaction at a time on the one connection. */
function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

function sqliteDialect(path: string, signals: Signals): Dialect {
  const conn = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = conn.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // Timestamps are stored as Unix ms, like Prisma's adapter does here (timestampFormat unixepoch-ms).
  const encode = (params: Params) =>
    Object.fromEntries(
      Object.entries(params).map(([key, value]) => [
        key,
        value instanceof Date
          ? value.getTime()
          : Array.isArray(value)
            ? JSON.stringify(value)
            : (value ?? null),
      ]),
    );
  const exclusive = createMutex();

  return {
    provider: "sqlite",
    skipLocked: "",
    typeIn: `"type" IN (SELECT "value" FROM json_each(@types))`,
    decode: (raw) => {
      const row: Record<string, unknown> = { ...raw };
      for (const column of DATE_COLUMNS) {
        const value = raw[column];
        row[column] = value == null ? null : new Date(Number(value));
      }
      for (const column of JSON_COLUMNS) {
        const value = raw[column];
        row[column] = typeof value === "string" ? (JSON.parse(value) as unknown) : null;
      }
      return row as JobRow;
    },
    peek: (sql, params) => prepare(sql).get(encode(params)) !== undefined,
    // One writer at a time: ids are assigned, and committed, in order.
    insertEvents: async (tx, events, now) => {
      for (const event of events) {
        await tx.all(
          `INSERT INTO "job_events" ("userId", "jobId", "data", "createdAt") VALUES (@userId, @jobId, @data, @now)`,
          { ...event, now },
        );
      }
      tx.signalHere("events");
    },
    transaction: (fn) =>
      exclusive(async () => {
        const signalled: [SignalChannel, string][] = [];
        // Nothing below awaits I/O: every query resolves at once, so the write lock is held for
        // microseconds, not for however long this process's event loop is busy elsewhere.
        conn.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn({
            all: (sql, params = {}) => {
              const statement = prepare(sql);
              const bound = encode(params);
              return Promise.resolve(
                statement.reader ? (statement.all(bound) as RawRow[]) : (statement.run(bound), []),
              );
            },
            signal: (channel, payload = "") => {
              signalled.push([channel, payload]);
              return Promise.resolve();
            },
            signalHere: (channel, payload = "") => {
              signalled.push([channel, payload]);
            },
          });
          conn.exec("COMMIT");
          for (const [channel, payload] of signalled) signals.emit(channel, payload);
          return result;
        } catch (error) {
          if (conn.inTransaction) conn.exec("ROLLBACK");
          throw error;
        }
      }),
    close: () => {
      conn.close();
      return Promise.resolve();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

/** `timestamp(3)` columns hold UTC (as Prisma writes them); node-pg would read them as local time. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP_OID) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text") as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

const toError = (value: unknown) => (value instanceof Error ? value : new Error(String(value)));

/** `@name` parameters (one spelling for both databases) → PostgreSQL's `$n`. */
function positional(sql: string, params: Params): { text: string; values: unknown[] } {
  const names: string[] = [];
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  const values = names.map((name) => {
    if (!(name in params)) throw new Error(`SQL parameter @${name} is missing`);
    const value = params[name];
    // ISO with Z: a timestamp-without-time-zone column takes it as UTC, whatever this process's zone.
    return value instanceof Date ? value.toISOString() : (value ?? null);
  });
  return { text, values };
}

function postgresDialect(url: string, signals: Signals, logger: Logger, poolSize: number): Dialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: "jobdeck-store",
    types: pgTypes,
  });
  // An idle client's connection can drop (a server restart); the pool replaces it on next use.
  pool.on("error", (error) => logger.warn({ err: error }, "an idle PostgreSQL connection failed"));

  return {
    provider: "postgresql",
    skipLocked: "FOR UPDATE SKIP LOCKED",
    typeIn: `"type" = ANY(@types)`,
    decode: (raw) => raw as JobRow,
    /**
     * Two writers could otherwise take ids 7 and 8 and commit 8 first: a reader that saw 8 would
     * skip 7 for ever. The advisory lock, taken in the same statement just before the ids are drawn
     * and held to the commit, serialises only this last step of each write.
     */
    insertEvents: async (tx, events, now) => {
      await tx.all(
        `WITH "ordered" AS (SELECT pg_advisory_xact_lock(@lock)),
              "notified" AS (SELECT pg_notify(@channel, ''))
          INSERT INTO "job_events" ("userId", "jobId", "data", "createdAt")
          SELECT e."userId", e."jobId", e."data", @now
          FROM "ordered", "notified",
            unnest(@userIds::text[], @jobIds::text[], @data::text[]) WITH ORDINALITY AS e("userId", "jobId", "data", "n")
          ORDER BY e."n"`,
        {
          lock: EVENT_ORDER_LOCK,
          channel: PG_CHANNELS.events,
          userIds: events.map((e) => e.userId),
          jobIds: events.map((e) => e.jobId),
          data: events.map((e) => e.data),
          now,
        },
      );
      tx.signalHere("events");
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      const signalled: [SignalChannel, string][] = [];
      let failure: unknown;
      try {
        await client.query("BEGIN");
        const result = await fn({
          all: async (sql, params = {}) => (await client.query(positional(sql, params))).rows as RawRow[],
          signal: async (channel, payload = "") => {
            await client.query("SELECT pg_notify($1, $2)", [PG_CHANNELS[channel], payload]);
            signalled.push([channel, payload]);
          },
          signalHere: (channel, payload = "") => {
            signalled.push([channel, payload]);
          },
        });
        await client.query("COMMIT");
        for (const [channel, payload] of signalled) signals.emit(channel, payload);
        return result;
      } catch (error) {
        failure = error;
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        // A connection that failed (rather than a statement the server refused) is not reused.
        client.release(
          failure !== undefined && !(failure instanceof pg.DatabaseError) ? toError(failure) : undefined,
        );
      }
    },
    close: () => pool.end(),
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
