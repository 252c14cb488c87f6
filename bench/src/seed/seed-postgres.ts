import pg from "pg";
import { generateRows, type SeedRow } from "./generate.js";
import type { SeedPlan } from "./plan.js";

const BATCH = 5_000;

const COLUMNS: [Exclude<keyof SeedRow, "tagList" | "metadataRows">, string][] = [
  ["id", "text"],
  ["userId", "text"],
  ["type", "text"],
  ["status", "text"],
  ["resultType", "text"],
  ["payload", "jsonb"],
  ["result", "jsonb"],
  ["error", "jsonb"],
  ["attempts", "int4"],
  ["maxAttempts", "int4"],
  ["timeoutMs", "int4"],
  ["runAt", "timestamp"],
  ["createdAt", "timestamp"],
  ["updatedAt", "timestamp"],
  ["startedAt", "timestamp"],
  ["finishedAt", "timestamp"],
  ["tags", "jsonb"],
  ["metadata", "jsonb"],
];
const TIMESTAMPS = new Set<keyof SeedRow>(["runAt", "createdAt", "updatedAt", "startedAt", "finishedAt"]);

/** Unix ms as the UTC wall-clock text that jobdeck's `timestamp(3)` columns hold. */
const utc = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 23));

/**
 * Multi-row INSERTs of 5,000 rows each as `unnest` over one array per column (one round trip, one
 * parse, any number of rows), two connections in parallel, secondary indexes dropped during the
 * load and rebuilt after, then VACUUM ANALYZE so the visibility map and statistics are fresh.
 * Tags and metadata also go to job_tags and job_metadata, one row per tag and per key with the job's
 * userId and createdAt, as jobdeck's create writes them (apps/api/src/db/job-store/labels.ts), in
 * the same statement as their jobs.
 */
export async function seedPostgres(url: string, plan: SeedPlan): Promise<{ rows: number }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const writers = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  try {
    await Promise.all(writers.map((c) => c.connect()));
    const { rows: indexes } = await admin.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('jobs', 'job_tags', 'job_metadata') AND indexname NOT LIKE '%_pkey'`,
    );
    for (const index of indexes) await admin.query(`DROP INDEX "${index.indexname}"`);

    // One statement per batch: the jobs, then their tag and metadata rows, as writable CTEs.
    const jobParams = COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`);
    const p = (n: number) => `$${COLUMNS.length + n}`;
    const sql = `WITH "tagRows" AS (
        INSERT INTO "job_tags" ("jobId", "userId", "tag", "createdAt")
        SELECT * FROM unnest(${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::timestamp[])
      ), "metadataRows" AS (
        INSERT INTO "job_metadata" ("jobId", "userId", "key", "value", "createdAt")
        SELECT * FROM unnest(${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::timestamp[])
      )
      INSERT INTO "jobs" (${COLUMNS.map(([c]) => `"${c}"`).join(", ")})
      SELECT * FROM unnest(${jobParams.join(", ")})`;
    for (const writer of writers) await writer.query("SET synchronous_commit = off");
    let rows = 0;
    let turn = 0;
    const inFlight = new Set<Promise<unknown>>();
    const send = async (batch: SeedRow[]) => {
      const columns = COLUMNS.map(([name]) =>
        batch.map((row) => (TIMESTAMPS.has(name) ? utc(row[name] as number | null) : row[name])),
      );
      const tags: [string[], string[], string[], (string | null)[]] = [[], [], [], []];
      const metadata: [string[], string[], string[], string[], (string | null)[]] = [[], [], [], [], []];
      for (const row of batch) {
        const createdAt = utc(row.createdAt);
        for (const tag of row.tagList) {
          tags[0].push(row.id);
          tags[1].push(row.userId);
          tags[2].push(tag);
          tags[3].push(createdAt);
        }
        for (const { key, value } of row.metadataRows) {
          metadata[0].push(row.id);
          metadata[1].push(row.userId);
          metadata[2].push(key);
          metadata[3].push(value);
          metadata[4].push(createdAt);
        }
      }
      rows += batch.length;
      const writer = writers[turn++ % writers.length]!;
      const done: Promise<unknown> = writer
        .query(sql, [...columns, ...tags, ...metadata])
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      // Keep every writer busy while the next batch is generated, but no more than that in memory.
      if (inFlight.size >= writers.length) await Promise.race(inFlight);
    };
    let batch: SeedRow[] = [];
    for (const row of generateRows(plan)) {
      batch.push(row);
      if (batch.length === BATCH) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await send(batch);
    await Promise.all(inFlight);

    await admin.query("SET maintenance_work_mem = '256MB'");
    for (const index of indexes) await admin.query(index.indexdef);
    for (const table of ["jobs", "job_tags", "job_metadata"]) await admin.query(`VACUUM ANALYZE "${table}"`);
    return { rows };
  } finally {
    await Promise.all(writers.map((c) => c.end().catch(() => undefined)));
    await admin.end();
  }
}
