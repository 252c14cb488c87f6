import BetterSqlite3 from "better-sqlite3";
import { generateRows, type SeedRow } from "./generate.js";
import type { SeedPlan } from "./plan.js";

const COLUMNS = [
  "id",
  "userId",
  "type",
  "status",
  "resultType",
  "payload",
  "result",
  "error",
  "attempts",
  "maxAttempts",
  "timeoutMs",
  "runAt",
  "createdAt",
  "updatedAt",
  "startedAt",
  "finishedAt",
  "tags",
  "metadata",
] as const satisfies readonly (keyof SeedRow)[];

/**
 * One prepared INSERT in one transaction, with the secondary indexes dropped during the load and
 * rebuilt after (sorting once is much cheaper than maintaining five B-trees row by row), then
 * ANALYZE. Timestamps are integer Unix ms and JSON is text, as jobdeck's SQLite adapter stores them.
 * Tags and metadata also go to job_tags and job_metadata, one row per tag and per key with the job's
 * userId and createdAt, as jobdeck's create writes them (apps/api/src/db/job-store/labels.ts).
 */
export function seedSqlite(file: string, plan: SeedPlan): { rows: number } {
  const db = new BetterSqlite3(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('jobs', 'job_tags', 'job_metadata') AND sql IS NOT NULL`,
      )
      .all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);

    const insert = db.prepare(
      `INSERT INTO "jobs" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
    );
    const insertTag = db.prepare(
      `INSERT INTO "job_tags" ("jobId", "userId", "tag", "createdAt") VALUES (?, ?, ?, ?)`,
    );
    const insertMetadata = db.prepare(
      `INSERT INTO "job_metadata" ("jobId", "userId", "key", "value", "createdAt") VALUES (?, ?, ?, ?, ?)`,
    );
    let rows = 0;
    db.transaction(() => {
      for (const row of generateRows(plan)) {
        insert.run(COLUMNS.map((c) => row[c]));
        for (const tag of row.tagList) insertTag.run(row.id, row.userId, tag, row.createdAt);
        for (const { key, value } of row.metadataRows)
          insertMetadata.run(row.id, row.userId, key, value, row.createdAt);
        rows++;
      }
    })();
    for (const index of indexes) db.exec(index.sql);
    db.exec("ANALYZE");
    db.pragma("synchronous = NORMAL");
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { rows };
  } finally {
    db.close();
  }
}
