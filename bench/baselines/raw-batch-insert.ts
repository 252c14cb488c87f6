import Database from "better-sqlite3";
import pg from "pg";
import { BATCH_COLUMNS, batchValues, chunksOf, uuidv7, type BatchJob } from "./shared.js";

/**
 * R13's floor: the rows a batch stores (the same columns, JSON text, UUIDv7 ids and batch id as
 * POST /v1/jobs/batch of raw-sqlite.ts and raw-postgres.ts), written with one multi-row INSERT …
 * VALUES in one transaction through the driver from the bench's own process: no HTTP, no token, no
 * validation, no queue row, no wait reason and no answer.
 */

export type RawBatchItem = { type: string; payload: object };

export type RawBatchInserter = {
  /** Stores the items as one batch of `userId`'s pending jobs. */
  insert(userId: string, items: RawBatchItem[]): Promise<void>;
  close(): Promise<void>;
};

const columnList = BATCH_COLUMNS.map((c) => `"${c}"`).join(", ");

function jobsOf(items: RawBatchItem[]): { now: number; batchId: string; jobs: BatchJob[] } {
  const now = Date.now();
  return { now, batchId: uuidv7(now), jobs: items.map((item) => ({ id: uuidv7(now), ...item })) };
}

/** SQLite: better-sqlite3 on the database file, WAL and synchronous=NORMAL as jobdeck opens it. */
export function openRawSqliteBatchInserter(file: string): RawBatchInserter {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const statements = new Map<number, Database.Statement>();
  const statementFor = (rows: number) => {
    let statement = statements.get(rows);
    if (!statement) {
      const tuple = `(${BATCH_COLUMNS.map(() => "?").join(", ")})`;
      statement = db.prepare(
        `INSERT INTO "jobs" (${columnList}) VALUES ${Array(rows).fill(tuple).join(", ")}`,
      );
      statements.set(rows, statement);
    }
    return statement;
  };
  const insertAll = db.transaction((rows: unknown[][]) => {
    for (const chunk of chunksOf(rows, Math.floor(32_766 / BATCH_COLUMNS.length)))
      statementFor(chunk.length).run(chunk.flat());
  });
  return {
    insert: (userId, items) => {
      const { now, batchId, jobs } = jobsOf(items);
      insertAll.immediate(batchValues(userId, batchId, jobs, now));
      return Promise.resolve();
    },
    close: () => Promise.resolve(void db.close()),
  };
}

/** PostgreSQL: one `pg` client, a named prepared statement per row count. */
export async function openRawPostgresBatchInserter(url: string): Promise<RawBatchInserter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const textFor = (rows: number) =>
    `INSERT INTO "jobs" (${columnList}) VALUES ${Array.from(
      { length: rows },
      (_, r) => `(${BATCH_COLUMNS.map((_c, c) => `$${r * BATCH_COLUMNS.length + c + 1}`).join(", ")})`,
    ).join(", ")}`;
  return {
    insert: async (userId, items) => {
      const { now, batchId, jobs } = jobsOf(items);
      const rows = batchValues(userId, batchId, jobs, new Date(now).toISOString().slice(0, 23));
      const chunks = chunksOf(rows, Math.floor(65_535 / BATCH_COLUMNS.length));
      if (chunks.length > 1) await client.query("BEGIN");
      for (const chunk of chunks)
        await client.query({
          name: `raw-batch-${chunk.length}`,
          text: textFor(chunk.length),
          values: chunk.flat(),
        });
      if (chunks.length > 1) await client.query("COMMIT");
    },
    close: () => client.end(),
  };
}
