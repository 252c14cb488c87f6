import { describe, expect } from "vitest";
import { testProviders } from "./support/databases.js";
import { jobFactory, test } from "./support/fixtures.js";

const providers = await testProviders();

type PreparedRow = { statement: string; generic_plans: string; custom_plans: string };

/**
 * The one-message claim is a prepared statement, and PostgreSQL should plan it once per connection
 * and keep that plan. It keeps a generic plan only when it costs no more than the plans made for each
 * call's values. With its pick's LIMIT as a parameter, the generic plan took the pick for a tenth of
 * the pending jobs and updated them through a hash join over every job, so once the table had
 * statistics PostgreSQL planned every claim afresh: 2.5 ms of planning against 4.4 ms of execution
 * at 18,000 pending jobs (bench R5).
 */
describe.each(providers.filter((provider) => provider === "postgresql"))(
  "the claim's plan, against a real %s database",
  (provider) => {
    test.override({ provider });

    test("is made once per connection and kept, once the table has statistics", async ({ db, store }) => {
      const newJob = jobFactory();
      for (let i = 0; i < 6; i++)
        await store.insertJobs(
          Array.from({ length: 1_000 }, () => newJob({ type: "echo" })),
          new Date(),
        );
      await db.writer.transaction((tx) => tx.run(`ANALYZE "jobs"`));
      for (let i = 0; i < 80; i++) {
        const claimed = await store.claimJobs({
          owner: `plan#${i}`,
          types: ["echo"],
          limit: 8,
          leaseMs: 30_000,
        });
        expect(claimed).toHaveLength(8);
      }
      // Every connection of the writer's pool, side by side (each reads only its own statements).
      const read = () =>
        db.writer.transaction((tx) =>
          tx.all(`SELECT "statement", "generic_plans", "custom_plans" FROM pg_prepared_statements
            WHERE "statement" LIKE '%"claimAt"%'`),
        );
      const seen = (await Promise.all([read(), read(), read(), read()])).flat() as PreparedRow[];
      const claims = seen.filter((row) => Number(row.generic_plans) + Number(row.custom_plans) > 5);
      expect(claims.length).toBeGreaterThan(0);
      // PostgreSQL plans the first five calls for their values, then settles on the generic plan.
      for (const row of claims) {
        expect(Number(row.custom_plans)).toBeLessThanOrEqual(5);
        expect(Number(row.generic_plans)).toBeGreaterThan(0);
      }
    });
  },
);
