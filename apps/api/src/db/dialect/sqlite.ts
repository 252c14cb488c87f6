import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import { randomUUID } from "node:crypto";
import type {
  AppliedMigration,
  Connections,
  Dialect,
  Migration,
  NewEvent,
  Params,
  Reader,
  Row,
  SignalChannel,
  Tx,
  Writer,
} from "./types.js";
import { sqliteJsonFilters } from "./json-filters.js";

/**
 * SQLite, the embedded default: one file, WAL, one writing connection per process.
 *
 * The writer is a dedicated better-sqlite3 connection. Its statements are synchronous, so a
 * transaction never waits on I/O while it holds the database's one write lock. Writes begin
 * IMMEDIATE, so no transaction reads and then upgrades to a write; when another process holds the
 * lock, the transaction waits asynchronously (the connection's own busy timeout is 0, which would
 * otherwise stop the event loop) and runs again. Reads use a second connection, which WAL lets read
 * beside the writer and see every commit.
 */

/** How long a writer waits for another process's write to finish before giving up (then 503). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** `file:./data/jobdeck.db` → an absolute path, relative to the working directory like Prisma's CLI. */
export const sqlitePath = (url: string): string => resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));

/**
 * The one way this code opens the file. WAL lets readers run beside the one writer; NORMAL sync in
 * WAL mode survives any process crash (a power cut may lose the last commits). Both are per
 * connection. `busyTimeoutMs` is a synchronous wait: 0 for the writer (see above).
 */
export function openSqlite(
  path: string,
  { busyTimeoutMs, mustExist = false }: { busyTimeoutMs: number; mustExist?: boolean },
): BetterSqlite3.Database {
  if (!mustExist) mkdirSync(dirname(path), { recursive: true });
  const connection = new BetterSqlite3(path, { timeout: busyTimeoutMs, fileMustExist: mustExist });
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  return connection;
}

/**
 * Parameters as SQLite stores them: timestamps as Unix ms (as Prisma's adapter writes them here,
 * `timestampFormat: unixepoch-ms`), arrays as JSON text (read with json_each), booleans as 0/1.
 */
function encode(params: Params): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    bound[key] =
      value instanceof Date
        ? value.getTime()
        : Array.isArray(value)
          ? JSON.stringify(value)
          : typeof value === "boolean"
            ? Number(value)
            : (value ?? null);
  }
  return bound;
}

/** Statements prepared once per text, on one connection. */
function statementCache(connection: () => BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    get(sql: string): BetterSqlite3.Statement {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = connection().prepare(sql)));
      return statement;
    },
    clear: () => statements.clear(),
  };
}

/** A small queue: one transaction at a time on the one connection. */
function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** How long a write transaction runs statements before it lets the event loop turn (see transaction). */
const SLICE_MS = 8;

const isBusy = (error: unknown) => String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY");

function createWriter(path: string, emit: (channel: SignalChannel, payload: string) => void) {
  const connection = openSqlite(path, { busyTimeoutMs: 0 });
  const statements = statementCache(() => connection);
  const exclusive = createMutex();

  const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    exclusive(async () => {
      for (let wait = 1, deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS; ; wait = Math.min(wait * 2, 50)) {
        const signalled: [SignalChannel, string][] = [];
        try {
          // Nothing below awaits I/O: every query resolves at once, so the write lock is held for
          // the few microtasks the transaction takes — unless the transaction is long (a bulk
          // operation's chunk, a batch): after SLICE_MS of statements it lets the event loop turn
          // once before the next, so that requests (reads, on the other connection) are served
          // meanwhile. The lock stays held; other writers of this process wait for the mutex.
          connection.exec("BEGIN IMMEDIATE");
          let sliceStart = performance.now();
          const inTurn = <R>(statement: () => R): Promise<R> => {
            if (performance.now() - sliceStart < SLICE_MS) return Promise.resolve(statement());
            return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
              sliceStart = performance.now();
              return statement();
            });
          };
          const rowsOf = (sql: string, params: Params): Row[] => {
            const statement = statements.get(sql);
            const bound = encode(params);
            return statement.reader ? (statement.all(bound) as Row[]) : (statement.run(bound), []);
          };
          const result = await fn({
            all: (sql, params = {}) => inTurn(() => rowsOf(sql, params)),
            run: (sql, params = {}) => inTurn(() => statements.get(sql).run(encode(params)).changes),
            defer: (sql, params = {}) => void statements.get(sql).run(encode(params)),
            deferAll: (sql, params = {}) => Promise.resolve(rowsOf(sql, params)),
            allInTurn: (list) => inTurn(() => list.map(({ sql, params = {} }) => rowsOf(sql, params))),
            signal: (channel, payload = "") => {
              signalled.push([channel, payload]);
              return Promise.resolve();
            },
            signalHere: (channel, payload = "") => {
              signalled.push([channel, payload]);
            },
            // No channel between processes: told to this process after the commit, as every signal.
            signalAfterCommit: (channel, payload = "") => {
              signalled.push([channel, payload]);
            },
          });
          connection.exec("COMMIT");
          for (const [channel, payload] of signalled) emit(channel, payload);
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec("ROLLBACK");
          // Another process holds the write lock: wait for it, then run the whole transaction again.
          if (!isBusy(error) || Date.now() > deadline) throw error;
          await delay(wait);
        }
      }
    });

  const writer: Writer = {
    transaction,
    run: (sql, params = {}) =>
      transaction(async (tx) => {
        const statement = statements.get(sql);
        if (statement.reader) {
          const rows = await tx.all(sql, params);
          return { rows, count: rows.length };
        }
        return { rows: [], count: await tx.run(sql, params) };
      }),
  };
  return {
    writer,
    close: () => {
      statements.clear();
      connection.close();
    },
  };
}

function createReader(path: string) {
  let connection: BetterSqlite3.Database | undefined;
  const open = () =>
    (connection ??= openSqlite(path, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS, mustExist: true }));
  const statements = statementCache(open);
  const reader: Reader = {
    all: <T>(sql: string, params: Params = {}) =>
      new Promise<T[]>((resolve) => {
        // better-sqlite3 is synchronous: a throw here rejects the promise.
        const statement = statements.get(sql);
        if (!statement.readonly) throw new Error("a statement that writes must go through the writer");
        resolve(statement.all(encode(params)) as T[]);
      }),
  };
  return {
    reader,
    close: () => {
      statements.clear();
      connection?.close();
      connection = undefined;
    },
  };
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

export const sqliteDialect: Dialect = {
  provider: "sqlite",
  locationOf: sqlitePath,

  connect: (path, { emit }) => new Promise((resolve) => resolve(connect(path, emit))),
  migrate: (path, pending) => new Promise((resolve) => resolve(migrate(path, pending))),

  isUnavailable: ({ code, message }) =>
    (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code === "SQLITE_CANTOPEN")) ||
    (typeof message === "string" && /database is locked/i.test(message)),
};

function connect(path: string, emit: (channel: SignalChannel, payload: string) => void): Connections {
  const { writer, close: closeWriter } = createWriter(path, emit);
  const { reader, close: closeReader } = createReader(path);
  return {
    sql: {
      ...sqliteJsonFilters,
      skipLocked: "",
      forUpdate: "",
      inArray: (column, param) => `${column} IN (SELECT "value" FROM json_each(@${param}))`,
      tableByIndex: (table, index) => `"${table}" INDEXED BY "${index}"`,
      // Every column comes out of json_each's object as SQLite stores it: ms and text as they are.
      jsonRows: (param, columns) =>
        `(SELECT ${Object.keys(columns)
          .map((name) => `json_extract("value", '$.${name}') AS "${name}"`)
          .join(", ")} FROM json_each(@${param}))`,
    },
    isSharedByProcesses: false,
    read: reader,
    writer,
    isClaimPeekWorthwhile: true,
    // One writer at a time: ids are assigned, and committed, in order.
    appendEvents: async (tx, events, now) => {
      let messages = 0;
      // One read says whether any owner here has an enabled webhook; without one (the usual case),
      // no event needs its statement below: a batch of 1,000 jobs spent a fifth of its time there.
      const isHooked =
        events.some((event) => event.webhookEvent !== null) &&
        (await tx.all(HAS_ENABLED_WEBHOOK, { userIds: [...new Set(events.map((event) => event.userId))] }))
          .length > 0;
      if (events.length === 1) {
        const [event] = events as [NewEvent];
        await tx.run(INSERT_EVENT, {
          userId: event.userId,
          jobId: event.jobId,
          data: event.data,
          kind: event.kind ?? "job",
          now,
        });
      } else if (events.length > 1)
        // One statement for all of them, in order (json_each's): a statement per event was about a
        // fifth of a 1,000-job batch (bench R13).
        await tx.run(INSERT_EVENTS, {
          events: JSON.stringify(
            events.map((event) => ({
              u: event.userId,
              j: event.jobId,
              d: event.data,
              k: event.kind ?? "job",
            })),
          ),
          now,
        });
      if (isHooked)
        for (const event of events)
          if (event.webhookEvent !== null)
            messages += await tx.run(INSERT_WEBHOOK_MESSAGES, {
              ...event,
              now,
              nowIso: now.toISOString(),
              expiresAt: new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS),
            });
      tx.signalHere("events");
      if (messages > 0) tx.signalHere("webhooks");
    },
    close: () => {
      closeReader();
      closeWriter();
      return Promise.resolve();
    },
  };
}

/** How long a webhook message is retried (§13); postgresql.ts says it as an interval. */
const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * One event's webhook messages (§13): one per enabled webhook of the owner whose events and filter
 * match, in the same transaction as the change. See postgresql.ts for the same in one statement.
 */
const INSERT_EVENT = `INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
  VALUES (@userId, @jobId, @data, @kind, @now)`;

/** Events from a JSON array of { u: userId, j: jobId, d: data, k: kind }, ids in the array's order. */
const INSERT_EVENTS = `INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
  SELECT json_extract("value", '$.u'), json_extract("value", '$.j'), json_extract("value", '$.d'),
    json_extract("value", '$.k'), @now
  FROM json_each(@events) ORDER BY "key"`;

/** Whether any of @userIds (a JSON array) has an enabled webhook. */
const HAS_ENABLED_WEBHOOK = `SELECT 1 FROM "webhooks"
  WHERE "userId" IN (SELECT "value" FROM json_each(@userIds)) AND "isEnabled" LIMIT 1`;

const INSERT_WEBHOOK_MESSAGES = `INSERT INTO "webhook_messages" ("id", "webhookId", "userId", "eventType", "jobId",
    "body", "status", "nextAttemptAt", "expiresAt", "createdAt", "updatedAt")
  SELECT 'msg_' || lower(hex(randomblob(16))), w."id", w."userId", @webhookEvent, @jobId,
    '{"type":"' || @webhookEvent || '","timestamp":"' || @nowIso || '","data":' || @data || '}',
    'pending', @now, @expiresAt, @now, @now
  FROM "webhooks" AS w
  WHERE w."userId" = @userId AND w."isEnabled"
    AND EXISTS (SELECT 1 FROM json_each(w."events") WHERE "value" = @webhookEvent)
    AND (w."filterTypes" IS NULL OR EXISTS (SELECT 1 FROM json_each(w."filterTypes") WHERE "value" = @jobType))
    AND (w."filterQueues" IS NULL OR EXISTS (SELECT 1 FROM json_each(w."filterQueues") WHERE "value" = @queue))`;

function migrate(path: string, pending: (applied: AppliedMigration[]) => Migration[]): string[] {
  const connection = openSqlite(path, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
  try {
    connection.exec(MIGRATIONS_TABLE);
    // IMMEDIATE takes the write lock up front, so two processes starting together migrate one after the other.
    const run = connection.transaction(() => {
      const applied = connection.prepare(`SELECT * FROM "_prisma_migrations"`).all() as AppliedMigration[];
      const todo = pending(applied);
      for (const m of todo) {
        const startedAt = new Date().toISOString();
        connection.exec(m.sql);
        connection
          .prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
              VALUES (@id, @checksum, @finishedAt, @name, @startedAt, 1)`,
          )
          .run({
            id: randomUUID(),
            checksum: m.checksum,
            finishedAt: new Date().toISOString(),
            name: m.name,
            startedAt,
          });
      }
      return todo.map((m) => m.name);
    });
    return run.immediate();
  } finally {
    connection.close();
  }
}
