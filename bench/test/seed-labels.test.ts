import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createBenchDatabase, isPostgresReachable, type BenchDatabase } from "../src/databases.js";
import { generateRows, SEED_LABELS } from "../src/seed/generate.js";
import { seedPostgres } from "../src/seed/seed-postgres.js";
import { seedSqlite } from "../src/seed/seed-sqlite.js";

/**
 * The seed writes job_tags and job_metadata itself, for speed. They must hold exactly what jobdeck
 * would have written for the same jobs: the rows its migration 20261205110000_job_label_index derives
 * from the jobs' own `tags` and `metadata` columns (the same rows the API's create writes,
 * apps/api/src/db/job-store/labels.ts), on each database.
 */
const plan = { totalRows: 2_000, users: 5, heavy: [1_000], deepRows: 100 };
const created: BenchDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

// The migration's own backfill statements, as SELECTs.
const EXPECTED = {
  sqlite: {
    tags: `SELECT "jobs"."id" AS "jobId", "jobs"."userId", "t"."value" AS "tag", "jobs"."createdAt"
      FROM "jobs", json_each("jobs"."tags") AS "t" WHERE "jobs"."tags" IS NOT NULL ORDER BY 1, 3`,
    metadata: `SELECT "jobs"."id" AS "jobId", "jobs"."userId", "m"."key",
      CASE "m"."type" WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_quote("m"."value") END AS "value",
      "jobs"."createdAt"
      FROM "jobs", json_each("jobs"."metadata") AS "m" WHERE "jobs"."metadata" IS NOT NULL ORDER BY 1, 3`,
  },
  postgresql: {
    tags: `SELECT "jobs"."id" AS "jobId", "jobs"."userId", "t"."value" AS "tag", "jobs"."createdAt"
      FROM "jobs", jsonb_array_elements_text("jobs"."tags") AS "t"("value") WHERE "jobs"."tags" IS NOT NULL ORDER BY 1, 3`,
    metadata: `SELECT "jobs"."id" AS "jobId", "jobs"."userId", "m"."key", "m"."value"::text AS "value", "jobs"."createdAt"
      FROM "jobs", jsonb_each("jobs"."metadata") AS "m" WHERE "jobs"."metadata" IS NOT NULL ORDER BY 1, 3`,
  },
};
const SEEDED = {
  tags: `SELECT "jobId", "userId", "tag", "createdAt" FROM "job_tags" ORDER BY 1, 3`,
  metadata: `SELECT "jobId", "userId", "key", "value", "createdAt" FROM "job_metadata" ORDER BY 1, 3`,
};

describe("the seed's tags and metadata", () => {
  it("gives jobs tags and metadata from a small vocabulary, dense and selective values among them", () => {
    const rows = [...generateRows(plan)];
    const share = (test: (row: (typeof rows)[number]) => boolean) => rows.filter(test).length / rows.length;
    expect(share((r) => r.tagList.includes(SEED_LABELS.denseTag))).toBeGreaterThan(0.6);
    expect(share((r) => r.tagList.includes(SEED_LABELS.selectiveTag))).toBeLessThan(0.05);
    expect(share((r) => r.tagList.includes(SEED_LABELS.selectiveTag))).toBeGreaterThan(0);
    const region = JSON.stringify(SEED_LABELS.denseMetadata.value);
    expect(
      share((r) => r.metadataRows.some((m) => m.key === "region" && m.value === region)),
    ).toBeGreaterThan(0.55);
    for (const row of rows) {
      expect(row.tags === null ? [] : JSON.parse(row.tags)).toEqual(row.tagList);
      const metadata = row.metadata === null ? {} : (JSON.parse(row.metadata) as Record<string, unknown>);
      expect(Object.entries(metadata).map(([key, value]) => ({ key, value: JSON.stringify(value) }))).toEqual(
        row.metadataRows,
      );
    }
    const echo = rows.filter((r) => r.type === "echo");
    expect(echo.length).toBeGreaterThan(0);
    for (const row of echo)
      expect((JSON.parse(row.payload) as { customer: { id: string } }).customer.id).toMatch(/^cus_\d{5}$/);
  });

  it("writes job_tags and job_metadata on SQLite as jobdeck's migration derives them", async () => {
    const db = await createBenchDatabase("sqlite", "labels");
    created.push(db);
    seedSqlite(db.location, plan);
    const handle = new BetterSqlite3(db.location, { readonly: true });
    try {
      for (const table of ["tags", "metadata"] as const) {
        const seeded = handle.prepare(SEEDED[table]).all();
        expect(seeded.length).toBeGreaterThan(plan.totalRows / 2);
        expect(seeded).toEqual(handle.prepare(EXPECTED.sqlite[table]).all());
      }
    } finally {
      handle.close();
    }
  });

  it("writes job_tags and job_metadata on PostgreSQL as jobdeck's migration derives them", async (context) => {
    if (!(await isPostgresReachable())) return context.skip();
    const db = await createBenchDatabase("postgresql", "labels");
    created.push(db);
    await seedPostgres(db.url, plan);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const table of ["tags", "metadata"] as const) {
        const seeded = (await client.query(SEEDED[table])).rows;
        expect(seeded.length).toBeGreaterThan(plan.totalRows / 2);
        expect(seeded).toEqual((await client.query(EXPECTED.postgresql[table])).rows);
      }
      // The list's own indexes are back after the load.
      const { rows } = await client.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename IN ('job_tags', 'job_metadata') ORDER BY 1`,
      );
      expect(rows.map((r) => r.indexname)).toEqual([
        "job_metadata_pkey",
        "job_metadata_userId_key_value_createdAt_jobId_idx",
        "job_tags_pkey",
        "job_tags_userId_tag_createdAt_jobId_idx",
      ]);
    } finally {
      await client.end();
    }
  });
});
