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
] as const satisfies readonly (keyof SeedRow)[];

/**
 * One prepared INSERT in one transaction, with the secondary indexes dropped during the load and
 * rebuilt after (sorting once is much cheaper than maintaining five B-trees row by row), then
 * ANALYZE. Timestamps are integer Unix ms and JSON is text, as jobdeck's SQLite adapter stores them.
 */
export function seedSqlite(file: string, plan: SeedPlan): { rows: number } {
  const db = new BetterSqlite3(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL`,
      )
      .all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);

    const insert = db.prepare(
      `INSERT INTO "jobs" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
    );
    let rows = 0;
    db.transaction(() => {
      for (const row of generateRows(plan)) {
        insert.run(COLUMNS.map((c) => row[c]));
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
