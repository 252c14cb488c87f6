import { setTimeout as delay } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import type { Job as JobRow } from "../../../generated/prisma-sqlite/client.js";
import { SQLITE_BUSY_TIMEOUT_MS } from "../database.js";
import type { SignalChannel, Signals } from "../signals.js";
import type { Dialect, Params, RawRow } from "./dialect.js";

/**
 * SQLite: a dedicated better-sqlite3 connection, the only one that writes in this process (see
 * JobStore.write). Its statements are synchronous, so a transaction never waits on I/O while it
 * holds the database's one write lock. Writes begin IMMEDIATE, so no transaction reads and then
 * upgrades to a write; when another process holds the lock, the transaction waits asynchronously
 * and runs again.
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
  // No synchronous busy wait: it would stop the event loop (see transaction below).
  const conn = new BetterSqlite3(path, { timeout: 0 });
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
        for (let wait = 1, deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS; ; wait = Math.min(wait * 2, 50)) {
          const signalled: [SignalChannel, string][] = [];
          try {
            // Nothing below awaits I/O: every query resolves at once, so the write lock is held for
            // the few microtasks the transaction takes.
            conn.exec("BEGIN IMMEDIATE");
            const result = await fn({
              all: (sql, params = {}) => {
                const statement = prepare(sql);
                const bound = encode(params);
                return Promise.resolve(
                  statement.reader ? (statement.all(bound) as RawRow[]) : (statement.run(bound), []),
                );
              },
              run: (sql, params = {}) => Promise.resolve(prepare(sql).run(encode(params)).changes),
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
            // Another process holds the write lock: wait for it without stopping this process's event
            // loop (the connection's own busy timeout is 0), then run the whole transaction again.
            if (
              !String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY") ||
              Date.now() > deadline
            )
              throw error;
            await delay(wait);
          }
        }
      }),
    close: () => {
      conn.close();
      return Promise.resolve();
    },
  };
}
