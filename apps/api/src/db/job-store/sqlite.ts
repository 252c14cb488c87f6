import BetterSqlite3 from "better-sqlite3";
import type { Job as JobRow } from "../../../generated/prisma-sqlite/client.js";
import { SQLITE_BUSY_TIMEOUT_MS } from "../database.js";
import type { SignalChannel, Signals } from "../signals.js";
import type { Dialect, Params, RawRow } from "./dialect.js";

/**
 * SQLite: a dedicated better-sqlite3 connection. Its statements are synchronous, so a transaction
 * never waits on I/O while it holds the database's one write lock (other processes wait for that
 * lock with their event loops blocked). Writes begin IMMEDIATE, so no transaction reads and then
 * upgrades to a write.
 */

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

export function sqliteDialect(path: string, signals: Signals): Dialect {
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
