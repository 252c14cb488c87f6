import pg from "pg";
import { describe, expect } from "vitest";
import { cancelPendingManySql, ownJobsByIds } from "../src/db/job-store/statements.js";
import { testProviders } from "./support/databases.js";
import { jobFactory, test } from "./support/fixtures.js";

const providers = await testProviders();

/**
 * A bulk chunk finds its jobs by id, whatever PostgreSQL knows of the table: here it knows nothing
 * (never analyzed), as after a big insert with autovacuum behind, when a chunk of 250 cancels read
 * all 100,000 of the user's pending jobs through the (userId, status, …) index (bench R17, 380 ms a
 * chunk against 13.5 ms by id). The generic plan is the one a prepared statement settles on.
 */
describe.each(providers.filter((provider) => provider === "postgresql"))(
  "a bulk chunk's statements, against a real %s database",
  (provider) => {
    test.override({ provider });

    test("read the jobs by id, not through the user's index, without statistics", async ({
      db,
      store,
      database,
    }) => {
      const newJob = jobFactory();
      for (let i = 0; i < 4; i++)
        await store.insertJobs(
          Array.from({ length: 1_000 }, () => newJob()),
          new Date(),
        );
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const ids = (await client.query(`SELECT "id" FROM "jobs" ORDER BY "id" LIMIT 250`)).rows.map(
          (row: { id: string }) => client.escapeLiteral(row.id),
        );
        const statements = [
          cancelPendingManySql(db.sql),
          `SELECT * FROM "jobs" WHERE ${ownJobsByIds(db.sql, `"status" IN ('completed', 'failed', 'cancelled')`)}`,
        ];
        for (const statement of statements) {
          const positional = statement
            .replaceAll("@ids", "$1")
            .replaceAll("@userId", "$2")
            .replaceAll("@now", "$3::timestamp(3)");
          await client.query("BEGIN");
          await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
          await client.query(`PREPARE chunk AS ${positional}`);
          const [{ "QUERY PLAN": plan }] = (
            await client.query(
              `EXPLAIN (FORMAT JSON) EXECUTE chunk(${[
                `ARRAY[${ids.join(",")}]::text[]`,
                "'u'",
                "'2026-12-06T00:00:00Z'",
              ]
                .slice(0, positional.includes("$3") ? 3 : 2)
                .join(", ")})`,
            )
          ).rows as [{ "QUERY PLAN": unknown }];
          await client.query("ROLLBACK");
          await client.query("DEALLOCATE chunk");
          const indexes = JSON.stringify(plan).match(/"Index Name":"[^"]+"/g) ?? [];
          expect(indexes, statement).toEqual(['"Index Name":"jobs_pkey"']);
        }
      } finally {
        await client.end();
      }
    });
  },
);
