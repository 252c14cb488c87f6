import pg from "pg";
import type { Logger } from "pino";
import type { Job as JobRow } from "../../../generated/prisma-sqlite/client.js";
import { PG_CHANNELS, type SignalChannel, type Signals } from "../signals.js";
import type { Dialect, NewEvent, Params, RawRow, Tx } from "./dialect.js";

/**
 * PostgreSQL: a small pg pool of its own, beside Prisma's. Claims skip rows other transactions hold
 * (FOR UPDATE SKIP LOCKED); NOTIFY goes out inside the transaction, so other processes hear of a
 * change exactly when it commits.
 */
/** Any 64-bit key works; it only has to differ from other advisory locks on the same database. */
const EVENT_ORDER_LOCK = 7_102_025_001;

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

/**
 * A statement with its parameters written in as literals, for the simple protocol (which takes no
 * parameters but does take several statements in one message); undefined when a value has no
 * literal form here (bytes), and the statement then goes on its own with parameters. Unknown-typed
 * literals take their type from the context, as parameters do.
 */
function inlineParams(client: pg.PoolClient, sql: string, params: Params): string | undefined {
  let isInlinable = true;
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return "NULL";
    if (typeof value === "string") return client.escapeLiteral(value);
    if (typeof value === "number" && Number.isFinite(value)) return `(${value})`;
    if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
    if (value instanceof Date) return client.escapeLiteral(value.toISOString());
    if (Array.isArray(value) && value.every((v) => typeof v === "string"))
      return `ARRAY[${value.map(literal).join(", ")}]::text[]`;
    isInlinable = false;
    return "NULL";
  };
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    if (!(name in params)) throw new Error(`SQL parameter @${name} is missing`);
    return literal(params[name]);
  });
  return isInlinable ? text : undefined;
}

/** Events a transaction appends, written with its COMMIT (see insertEvents). */
type DeferredEvents = { events: NewEvent[]; now: Date };
const deferredEvents = new WeakMap<Tx, DeferredEvents>();

/**
 * The events' INSERT and the COMMIT as one simple-protocol message, which the server runs back to
 * back (an error in the INSERT skips the COMMIT; the caller then rolls back). Values are inlined
 * as escaped literals: the simple protocol takes no parameters.
 */
function eventsThenCommit(client: pg.PoolClient, { events, now }: DeferredEvents): string {
  const rows = events
    .map(
      (e, n) =>
        `(${client.escapeLiteral(e.userId)}, ${client.escapeLiteral(e.jobId)}, ${client.escapeLiteral(e.data)}, ${n})`,
    )
    .join(", ");
  return `WITH "ordered" AS (SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK})),
      "notified" AS (SELECT pg_notify('${PG_CHANNELS.events}', ''))
    INSERT INTO "job_events" ("userId", "jobId", "data", "createdAt")
    SELECT e."userId", e."jobId", e."data", ${client.escapeLiteral(now.toISOString())}::timestamp(3)
    FROM "ordered", "notified", (VALUES ${rows}) AS e("userId", "jobId", "data", "n")
    ORDER BY e."n";
    COMMIT`;
}

export function postgresDialect(url: string, signals: Signals, logger: Logger, poolSize: number): Dialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: "jobdeck-store",
    types: pgTypes,
  });
  // An idle client's connection can drop (a server restart); the pool replaces it on next use.
  // Only the message and code: pg hangs the whole client object on the error.
  const lost = (error: Error & { code?: string }, what: string) =>
    logger.warn({ err: { message: error.message, code: error.code } }, what);
  pool.on("error", (error) => lost(error, "an idle PostgreSQL connection failed"));

  return {
    provider: "postgresql",
    skipLocked: "FOR UPDATE SKIP LOCKED",
    typeIn: `"type" = ANY(@types)`,
    decode: (raw) => raw as JobRow,
    completeManySql: `UPDATE "jobs" AS j SET "status" = 'completed', "result" = s."result"::jsonb, "error" = NULL,
        "finishedAt" = s."now"::timestamp(3), "leaseOwner" = NULL, "leaseExpiresAt" = NULL,
        "updatedAt" = s."now"::timestamp(3)
      FROM unnest(@ids::text[], @attempts::int[], @owners::text[], @results::text[], @nows::text[])
        AS s("id", "attempts", "owner", "result", "now")
      WHERE j."id" = s."id" AND j."attempts" = s."attempts" AND j."leaseOwner" = s."owner"
        AND j."status" = 'running'
      RETURNING j.*`,
    /**
     * Two writers could otherwise take ids 7 and 8 and commit 8 first: a reader that saw 8 would
     * skip 7 for ever. So ids are drawn under an advisory lock held to the commit. The events are
     * kept until then and sent with the COMMIT in one message: the lock is held only while the
     * server inserts and commits, never while it waits for this process to send the next statement
     * (a busy client core would otherwise make every writer wait for it).
     */
    insertEvents: (tx, events, now) => {
      const deferred = deferredEvents.get(tx);
      if (!deferred) throw new Error("insertEvents outside a transaction of this store");
      deferred.events.push(...events);
      deferred.now = now;
      tx.signalHere("events");
      return Promise.resolve();
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      const signalled: [SignalChannel, string][] = [];
      let failure: unknown;
      // The pool listens for errors only on idle clients. A checked-out one whose connection drops
      // between two statements (the server shut down) emits 'error', which unheard would end the
      // process; heard, the next statement fails and the transaction rolls back as for any error.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken ??= error;
        lost(error, "a PostgreSQL connection failed inside a transaction");
      };
      client.on("error", onError);
      const deferred: DeferredEvents = { events: [], now: new Date() };
      let hasBegun = false;
      /** The transaction's first statement goes with its BEGIN, in one message, when it can. */
      const query = async (sql: string, params: Params): Promise<pg.QueryResult> => {
        if (hasBegun) return client.query(positional(sql, params));
        hasBegun = true;
        const inlined = inlineParams(client, sql, params);
        if (inlined === undefined) {
          await client.query("BEGIN");
          return client.query(positional(sql, params));
        }
        const [, result] = (await client.query(`BEGIN; ${inlined}`)) as unknown as pg.QueryResult[];
        return result!;
      };
      try {
        const tx: Tx = {
          all: async (sql, params = {}) => (await query(sql, params)).rows as RawRow[],
          run: async (sql, params = {}) => (await query(sql, params)).rowCount ?? 0,
          signal: async (channel, payload = "") => {
            await query("SELECT pg_notify(@channel, @payload)", { channel: PG_CHANNELS[channel], payload });
            signalled.push([channel, payload]);
          },
          signalHere: (channel, payload = "") => {
            signalled.push([channel, payload]);
          },
        };
        deferredEvents.set(tx, deferred);
        const result = await fn(tx);
        if (deferred.events.length > 0)
          await client.query(`${hasBegun ? "" : "BEGIN; "}${eventsThenCommit(client, deferred)}`);
        else if (hasBegun) await client.query("COMMIT");
        for (const [channel, payload] of signalled) signals.emit(channel, payload);
        return result;
      } catch (error) {
        failure = error;
        if (hasBegun) await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.off("error", onError);
        // A connection that failed (rather than a statement the server refused) is not reused.
        client.release(
          broken ??
            (failure !== undefined && !(failure instanceof pg.DatabaseError) ? toError(failure) : undefined),
        );
      }
    },
    close: () => pool.end(),
  };
}
