import pg from "pg";
import type { Logger } from "pino";
import type { Job as JobRow } from "../../../generated/prisma-sqlite/client.js";
import { PG_CHANNELS, type SignalChannel, type Signals } from "../signals.js";
import type { Dialect, Params, RawRow } from "./dialect.js";

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
      // The pool listens for errors only on idle clients. A checked-out one whose connection drops
      // between two statements (the server shut down) emits 'error', which unheard would end the
      // process; heard, the next statement fails and the transaction rolls back as for any error.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken ??= error;
        lost(error, "a PostgreSQL connection failed inside a transaction");
      };
      client.on("error", onError);
      try {
        await client.query("BEGIN");
        const result = await fn({
          all: async (sql, params = {}) => (await client.query(positional(sql, params))).rows as RawRow[],
          run: async (sql, params = {}) => (await client.query(positional(sql, params))).rowCount ?? 0,
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
