import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { QueryEvent } from "./database.js";

/**
 * Hand-written statements straight on the driver, for the few hot paths that are already raw SQL
 * (the list page, the rate-limit counter). Through Prisma's `$queryRaw` each of them paid for the
 * query compiler, the driver adapter's row mapping and a fresh `prepare()` every time: more than
 * half the CPU of a list request (bench R1/R2 profiles). Here a statement is prepared once and
 * rows come back as plain objects, on the same connections' database.
 *
 * Statements use `?` placeholders on both databases. Timestamps go in as Date and come back as Unix
 * milliseconds; JSON columns come back as text on SQLite and parsed on PostgreSQL — `decodeJson`
 * makes them alike.
 */
export type SqlValue = string | number | null | Date;

export type RawSql = {
  all<T>(sql: string, values: SqlValue[]): Promise<T[]>;
  decodeJson: (value: unknown) => unknown;
  close(): Promise<void>;
};

type Log = ((event: QueryEvent) => void) | undefined;

function logged<T>(log: Log, sql: string, values: unknown[], run: () => Promise<T>): Promise<T> {
  if (!log) return run();
  const started = performance.now();
  return run().finally(() =>
    log({ query: sql, params: JSON.stringify(values), duration: performance.now() - started }),
  );
}

/**
 * A read connection to the SQLite file: WAL lets it read beside the others, and see their commits.
 * Reads only: every SQLite write of a process goes through the job store (JobStore.write).
 */
export function sqliteRawSql(location: string, busyTimeoutMs: number, log: Log): RawSql {
  let handle: BetterSqlite3.Database | undefined;
  const statements = new Map<string, BetterSqlite3.Statement>();
  const open = () => {
    if (!handle) {
      handle = new BetterSqlite3(location, { timeout: busyTimeoutMs, fileMustExist: true });
      handle.pragma("journal_mode = WAL");
      handle.pragma("synchronous = NORMAL");
    }
    return handle;
  };
  return {
    all<T>(sql: string, values: SqlValue[]) {
      const bound = values.map((v) => (v instanceof Date ? v.getTime() : v));
      return logged(
        log,
        sql,
        bound,
        () =>
          new Promise<T[]>((resolve) => {
            // better-sqlite3 is synchronous: a throw here rejects the promise.
            let statement = statements.get(sql);
            if (!statement) statements.set(sql, (statement = open().prepare(sql)));
            resolve((statement.reader ? statement.all(bound) : [statement.run(bound)]) as T[]);
          }),
      );
    },
    decodeJson: (value) => (typeof value === "string" ? (JSON.parse(value) as unknown) : value),
    close: () => {
      handle?.close();
      handle = undefined;
      statements.clear();
      return Promise.resolve();
    },
  };
}

/**
 * `timestamp(3)` holds UTC wall-clock time: read it as UTC milliseconds, as Prisma reads it. The
 * common shape `YYYY-MM-DD HH:MM:SS[.fff]` is read field by field (Date.parse was 6 % of a list
 * request); anything else (BC dates, years past 9999) goes through Date.parse.
 */
export function utcMillis(text: string): number {
  const n = (from: number, to: number) => Number(text.slice(from, to));
  if (text.length >= 19 && text.length <= 26 && text[4] === "-" && text[10] === " " && text[19] !== " ") {
    const year = n(0, 4);
    if (year >= 100) {
      const fraction = text.length > 20 ? Number(`${text.slice(20)}00`.slice(0, 3)) : 0;
      return Date.UTC(year, n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19), fraction);
    }
  }
  return Date.parse(`${text.replace(" ", "T")}Z`);
}

const TIMESTAMP_OID = Number(pg.types.builtins.TIMESTAMP);
const parserOf = (oid: number, format?: "text" | "binary"): ((value: string) => unknown) =>
  oid === TIMESTAMP_OID && format !== "binary"
    ? utcMillis
    : (pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown);
const TYPES = { getTypeParser: parserOf };

/** Server-side prepared statements per connection; past this many shapes, unnamed ones. */
const MAX_NAMED_STATEMENTS = 500;

/** On the pool Prisma's adapter uses too, with named (server-side prepared) statements. */
export function postgresRawSql(pool: pg.Pool, log: Log): RawSql {
  const texts = new Map<string, { name: string | undefined; text: string }>();
  const prepared = (sql: string) => {
    let entry = texts.get(sql);
    if (!entry) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      entry = { name: texts.size < MAX_NAMED_STATEMENTS ? `jobdeck_raw_${texts.size}` : undefined, text };
      texts.set(sql, entry);
    }
    return entry;
  };
  return {
    async all<T>(sql: string, values: SqlValue[]) {
      const { name, text } = prepared(sql);
      // UTC wall-clock text, whatever the process's time zone.
      const bound = values.map((v) => (v instanceof Date ? v.toISOString().slice(0, 23) : v));
      return logged(log, text, bound, async () => {
        const result = await pool.query({ name, text, values: bound, types: TYPES });
        return result.rows as T[];
      });
    },
    decodeJson: (value) => value,
    close: () => Promise.resolve(),
  };
}
