import Database from "better-sqlite3";
import pg from "pg";
import { JOB_TYPES, uuidv7 } from "./shared.js";

/**
 * R13's baseline: the least a batch create must do, written separately from jobdeck. The rows
 * POST /v1/jobs/batch would store (same columns, same JSON text, same UUIDv7 ids, the batch's id on
 * each) go into "jobs" with one multi-row INSERT … VALUES in one transaction, through the driver
 * from this process: no HTTP, no validation, no queue row, no events, no answer to build.
 */

/** The columns written, in order. */
const COLUMNS = [
  "id",
  "userId",
  "type",
  "status",
  "resultType",
  "payload",
  "maxAttempts",
  "timeoutMs",
  "runAt",
  "createdAt",
  "updatedAt",
  "batchId",
] as const;

/** Bound parameters per statement at most: SQLite's default limit (32,766), PostgreSQL's 65,535. */
const MAX_PARAMS = { sqlite: 32_766, postgresql: 65_535 } as const;

export type RawBatchItem = { type: string; payload: unknown };

export type RawBatchInserter = {
  /** Stores the items as one batch of `userId`'s pending jobs; resolves with the rows written. */
  insert(userId: string, items: RawBatchItem[]): Promise<number>;
  close(): Promise<void>;
};

/** Each item's row values, in COLUMNS order; timestamps as the database takes them. */
function rowsOf(userId: string, items: RawBatchItem[], timestamp: (ms: number) => unknown): unknown[][] {
  const now = Date.now();
  const at = timestamp(now);
  const batchId = uuidv7(now);
  return items.map((item) => {
    const type = JOB_TYPES[item.type] ?? JOB_TYPES.echo!;
    return [
      uuidv7(now),
      userId,
      item.type,
      "pending",
      type.resultType,
      JSON.stringify(item.payload),
      type.maxAttempts,
      type.timeoutMs,
      at,
      at,
      at,
      batchId,
    ];
  });
}

const chunksOf = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

const columnList = COLUMNS.map((c) => `"${c}"`).join(", ");

/** SQLite: better-sqlite3 on the database file, WAL and synchronous=NORMAL as jobdeck opens it. */
export function openRawSqliteBatchInserter(file: string): RawBatchInserter {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const statements = new Map<number, Database.Statement>();
  const statementFor = (rows: number) => {
    let statement = statements.get(rows);
    if (!statement) {
      const tuple = `(${COLUMNS.map(() => "?").join(", ")})`;
      statement = db.prepare(
        `INSERT INTO "jobs" (${columnList}) VALUES ${Array(rows).fill(tuple).join(", ")}`,
      );
      statements.set(rows, statement);
    }
    return statement;
  };
  const insertAll = db.transaction((rows: unknown[][]) => {
    for (const chunk of chunksOf(rows, Math.floor(MAX_PARAMS.sqlite / COLUMNS.length)))
      statementFor(chunk.length).run(chunk.flat());
  });
  return {
    insert: (userId, items) => {
      const rows = rowsOf(userId, items, (ms) => ms);
      insertAll.immediate(rows);
      return Promise.resolve(rows.length);
    },
    close: () => Promise.resolve(void db.close()),
  };
}

/** PostgreSQL: one `pg` client, a named prepared statement per row count, BEGIN/COMMIT around the chunks. */
export async function openRawPostgresBatchInserter(url: string): Promise<RawBatchInserter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const textFor = (rows: number) =>
    `INSERT INTO "jobs" (${columnList}) VALUES ${Array.from(
      { length: rows },
      (_, r) => `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(", ")})`,
    ).join(", ")}`;
  return {
    insert: async (userId, items) => {
      const rows = rowsOf(userId, items, (ms) => new Date(ms).toISOString());
      const chunks = chunksOf(rows, Math.floor(MAX_PARAMS.postgresql / COLUMNS.length));
      if (chunks.length > 1) await client.query("BEGIN");
      for (const chunk of chunks)
        await client.query({
          name: `raw-batch-${chunk.length}`,
          text: textFor(chunk.length),
          values: chunk.flat(),
        });
      if (chunks.length > 1) await client.query("COMMIT");
      return rows.length;
    },
    close: () => client.end(),
  };
}
