import type { Logger } from "pino";
import { dialectOf } from "./dialect/index.js";
import type { Connections, Provider, Reader, SqlFragments } from "./dialect/index.js";
import { createSignals, type Signals } from "./signals.js";

/**
 * The data layer: the only code that talks to a database. One rule:
 *
 * - **Reads** go through `db.read`: one read connection beside the writer on SQLite (WAL lets it
 *   read while the writer writes, and see every commit), a pool of read-only sessions on PostgreSQL.
 * - **Writes** go through `db.writer`, the process's single writer, in short transactions. Job state
 *   changes go through the job store built on it (job-store/), which appends each change's event in
 *   the same transaction. On SQLite there must be one writing connection per process: a second one
 *   would wait for the write lock synchronously, with the event loop stopped, while this process's
 *   other connection held it between two awaits. On PostgreSQL the writer's pool is where event
 *   ids, NOTIFY and sending BEGIN with the first statement live.
 *
 * Both are hand-written SQL on the driver (better-sqlite3, pg), prepared once per statement, with
 * plain rows back. Through Prisma Client a list request spent more than half its CPU in the query
 * compiler, the driver adapter's row mapping and a fresh prepare() per call (the R1/R2 profiles in
 * BENCHMARKS.md and bench/ANALYSIS.md); the job store's writes were raw SQL from the start, for
 * `FOR UPDATE SKIP LOCKED`, fencing and batching Prisma cannot say. Prisma owns the schema:
 * prisma/models.prisma, each database's migrations (written with `prisma migrate diff`) and the
 * generated model types that rows.ts is checked against.
 *
 * Statements name their parameters `@name` on both databases. Rows come back alike (rows.ts).
 * Everything that differs between SQLite and PostgreSQL is in dialect/ and nowhere else.
 */

export type { Provider, Reader, Writer, Tx, Params, Row, SqlFragments, NewEvent } from "./dialect/index.js";
import type { Params } from "./dialect/index.js";
export { providerOf } from "./dialect/index.js";

export type Database = Pick<
  Connections,
  "read" | "writer" | "appendEvents" | "isClaimPeekWorthwhile" | "isSharedByProcesses"
> & {
  provider: Provider;
  /** The SQLite file's absolute path, or the PostgreSQL connection string. */
  location: string;
  /** The SQL that differs between the databases, to splice into statements written once. */
  sql: SqlFragments;
  signals: Signals;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  logger: Logger;
  /** PostgreSQL: connections one process uses for reads. */
  readPoolSize?: number;
  /** PostgreSQL: connections one process uses for writes (transactions of the writer). */
  writePoolSize?: number;
  /** Hears every read statement with its parameters before it runs (the query-plan suite reads their plans). */
  onRead?: (sql: string, params: Params) => void;
};

/**
 * Connections one process opens on PostgreSQL: `readPoolSize` + `writePoolSize` + 1 listener. On
 * SQLite: one read connection and one write connection.
 */
export async function openDatabase(url: string, options: DatabaseOptions): Promise<Database> {
  const dialect = await dialectOf(url);
  const location = dialect.locationOf(url);
  const signals = createSignals();
  const connections = await dialect.connect(location, {
    logger: options.logger,
    readPoolSize: options.readPoolSize ?? 10,
    writePoolSize: options.writePoolSize ?? 4,
    emit: signals.emit,
  });
  signals.attach(connections.listen);
  return {
    provider: dialect.provider,
    location,
    sql: connections.sql,
    read: options.onRead ? heard(connections.read, options.onRead) : connections.read,
    writer: connections.writer,
    appendEvents: connections.appendEvents,
    isClaimPeekWorthwhile: connections.isClaimPeekWorthwhile,
    isSharedByProcesses: connections.isSharedByProcesses,
    signals,
    close: async () => {
      await signals.close();
      await connections.close();
    },
  };
}

function heard(read: Reader, onRead: (sql: string, params: Params) => void): Reader {
  return {
    all: (sql, params = {}) => {
      onRead(sql, params);
      return read.all(sql, params);
    },
  };
}

/** `IN (@name_0, @name_1, …)` for a list of values, added to `params`: each value its own parameter. */
export function inList(name: string, values: readonly unknown[], params: Record<string, unknown>): string {
  return `(${values
    .map((value, i) => {
      params[`${name}_${i}`] = value;
      return `@${name}_${i}`;
    })
    .join(", ")})`;
}
