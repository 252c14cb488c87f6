import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../../generated/prisma-postgresql/client.js";
import { PrismaClient as SqliteClient } from "../../generated/prisma-sqlite/client.js";
import pg from "pg";
import { postgresRawSql, sqliteRawSql, type RawSql } from "./raw-sql.js";

export type Provider = "sqlite" | "postgresql";

/**
 * Both generated clients come from the same models (prisma/models.prisma), so their model APIs are
 * the same; the SQLite client's type stands for both.
 */
export type PrismaDb = SqliteClient;

export type Database = {
  provider: Provider;
  prisma: PrismaDb;
  /** Straight on the driver, for the hot hand-written statements (see raw-sql.ts). */
  sql: RawSql;
  /** The SQLite file, or the PostgreSQL connection string. */
  location: string;
  close(): Promise<void>;
};

export type QueryEvent = { query: string; params: string; duration: number };

export type DatabaseOptions = {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
  /** Receives every SQL statement Prisma runs (tests read query plans with it). */
  onQuery?: (event: QueryEvent) => void;
};

export const providerOf = (url: string): Provider =>
  /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";

/** `file:./data/jobdeck.db` → an absolute path, relative to the working directory like Prisma's CLI. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return resolve(path);
}

/** How long a SQLite writer waits for another process's write to finish before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const provider = providerOf(url);
  const log = options.onQuery ? ([{ emit: "event", level: "query" }] as const) : undefined;
  let prisma: PrismaDb;
  let location: string;
  let sql: RawSql;
  let pool: pg.Pool | undefined;
  if (provider === "sqlite") {
    location = sqlitePath(url);
    mkdirSync(dirname(location), { recursive: true });
    // Timestamps as integer milliseconds: exact, compact, and compared as numbers by the claim query.
    const adapter = new PrismaBetterSQLite3(
      { url: location, timeout: SQLITE_BUSY_TIMEOUT_MS },
      { timestampFormat: "unixepoch-ms" },
    );
    prisma = new SqliteClient({ adapter, ...(log ? { log: [...log] } : {}) });
    sql = sqliteRawSql(location, SQLITE_BUSY_TIMEOUT_MS, options.onQuery);
  } else {
    location = url;
    // One pool for Prisma and the raw statements: a process holds at most `poolSize` connections.
    pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle connection the server dropped must not crash the process; the next query reports it.
    pool.on("error", () => undefined);
    const adapter = new PrismaPg(pool);
    prisma = new PostgresClient({ adapter, ...(log ? { log: [...log] } : {}) }) as unknown as PrismaDb;
    sql = postgresRawSql(pool, options.onQuery);
  }
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as unknown as { $on(event: "query", cb: (e: QueryEvent) => void): void }).$on("query", (e) =>
      onQuery(e),
    );
  }
  await prisma.$connect();
  if (provider === "sqlite") {
    // WAL lets readers run beside the one writer; NORMAL sync in WAL mode survives any process crash
    // (a power cut may lose the last commits). Both are per connection, and Prisma keeps one.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  }
  return {
    provider,
    prisma,
    sql,
    location,
    close: async () => {
      await prisma.$disconnect();
      await sql.close();
      await pool?.end();
    },
  };
}

/** Whether an error means the database cannot be reached right now (answered 503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      kind?: unknown;
    };
    const code = typeof e.code === "string" ? e.code : "";
    const kind = typeof e.kind === "string" ? e.kind : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (
      [
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "EPIPE",
        "ENOTFOUND",
        "EHOSTUNREACH",
        "57P01",
        "57P02",
        "57P03",
        "53300",
        "08000",
        "08001",
        "08003",
        "08006",
        "P1001",
        "P1002",
        "P1017",
        "SQLITE_BUSY",
      ].includes(code)
    )
      return true;
    if (
      [
        "DatabaseNotReachable",
        "DatabaseDoesNotExist",
        "ConnectionClosed",
        "SocketTimeout",
        "TooManyConnections",
      ].includes(kind)
    )
      return true;
    if (
      /Connection terminated|connection (is )?closed|Can't reach database|timeout exceeded when trying to connect|database is locked/i.test(
        message,
      )
    )
      return true;
    current = e.cause;
  }
  return false;
}
