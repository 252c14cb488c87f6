import pg from "pg";
import { describe, expect } from "vitest";
import { claimStatements } from "../src/db/job-store/claim.js";
import { putQueueSettings } from "../src/db/job-store/queue-changes.js";
import type { Database } from "../src/db/index.js";
import type { JobStore } from "../src/db/job-store/index.js";
import { testProviders } from "./support/databases.js";
import { jobFactory, test } from "./support/fixtures.js";

const providers = await testProviders();

type PreparedRow = { statement: string; generic_plans: string; custom_plans: string };
type Fixtures = { db: Database; store: JobStore };

/**
 * `jobs` of type echo in `queue`, analyzed, then 80 claims of 8 (each must take 8); answers the
 * plan counters of the writer's prepared statements whose text is `like`, from every connection of
 * its pool side by side (each connection sees only its own).
 */
async function countersAfterClaims(
  { db, store }: Fixtures,
  jobs: number,
  queue: string | undefined,
  like: string,
) {
  const newJob = jobFactory();
  for (let i = 0; i < jobs / 1_000; i++)
    await store.insertJobs(
      Array.from({ length: 1_000 }, () => newJob({ type: "echo", ...(queue ? { queue } : {}) })),
      new Date(),
    );
  await db.writer.transaction((tx) => tx.run(`ANALYZE "jobs"`));
  for (let i = 0; i < 80; i++) {
    const claimed = await store.claimJobs({ owner: `plan#${i}`, types: ["echo"], limit: 8, leaseMs: 30_000 });
    expect(claimed).toHaveLength(8);
  }
  const read = () =>
    db.writer.transaction((tx) =>
      tx.all(
        `SELECT "statement", "generic_plans", "custom_plans" FROM pg_prepared_statements
        WHERE "statement" LIKE @like`,
        { like },
      ),
    );
  return (await Promise.all([read(), read(), read(), read()])).flat() as PreparedRow[];
}

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
      const seen = await countersAfterClaims({ db, store }, 6_000, undefined, '%"claimAt"%');
      const claims = seen.filter((row) => Number(row.generic_plans) + Number(row.custom_plans) > 5);
      expect(claims.length).toBeGreaterThan(0);
      // PostgreSQL plans the first five calls for their values, then settles on the generic plan.
      for (const row of claims) {
        expect(Number(row.custom_plans)).toBeLessThanOrEqual(5);
        expect(Number(row.generic_plans)).toBeGreaterThan(0);
      }
    });

    test("the pick of limited queues is made once per connection and kept too", async ({ db, store }) => {
      await putQueueSettings(db, {
        userId: "u",
        name: "lim",
        settings: { concurrency: 1_000, perKeyConcurrency: null, rateLimit: null, perKeyRateLimit: null },
        now: new Date(),
      });
      // The pick is prepared in the gate's message; both are planned for their values at most five
      // times (PostgreSQL's own rule for choosing a generic plan), the pick not at all.
      const rows = await countersAfterClaims({ db, store }, 2_000, "lim", '%"lastLookedAt"%');
      expect(rows.some((row) => Number(row.generic_plans) > 5)).toBe(true);
      for (const row of rows) expect(Number(row.custom_plans)).toBeLessThanOrEqual(5);
    });

    test("keeps reading the pick through its index when the plan was made on an empty table", async ({
      db,
      store,
      database,
    }) => {
      // A worker that starts on an empty database settles on a generic plan at once; the plan stays
      // while jobs pile up, and where nothing analyzes the table (autovacuum off) PostgreSQL never
      // replans it. It must not be one that reads every pending job.
      const names: string[] = [];
      const positional = claimStatements(db.sql).openWithEvents!(8).replace(/@(\w+)/g, (_, name: string) => {
        if (!names.includes(name)) names.push(name);
        return `$${names.indexOf(name) + 1}`;
      });
      const values: Record<string, string> = {
        isNowFixed: "FALSE",
        now: "'2099-01-01T00:00:00.000Z'",
        types: "ARRAY['echo']::text[]",
        owner: "'plan#1'",
        leaseUntil: "'2099-01-01T00:00:30.000Z'",
      };
      const execute = `EXECUTE claim(${names.map((name) => values[name]).join(", ")})`;
      const newJob = jobFactory();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(`PREPARE claim AS ${positional}`);
        for (let i = 0; i < 6; i++) {
          await store.insertJobs([newJob({ type: "echo" })], new Date());
          await client.query("BEGIN");
          await client.query(execute);
          await client.query("ROLLBACK");
        }
        for (let i = 0; i < 10; i++)
          await store.insertJobs(
            Array.from({ length: 1_000 }, () => newJob({ type: "echo" })),
            new Date(),
          );
        await client.query("BEGIN");
        const [{ "QUERY PLAN": plan }] = (await client.query(`EXPLAIN (FORMAT JSON) ${execute}`)).rows as [
          { "QUERY PLAN": unknown },
        ];
        await client.query("ROLLBACK");
        const [{ generic_plans: generic }] = (
          await client.query(`SELECT "generic_plans" FROM pg_prepared_statements WHERE "name" = 'claim'`)
        ).rows as [{ generic_plans: string }];
        expect(Number(generic)).toBeGreaterThan(0);
        // Every scan of the jobs table: the pick by its index, the started rows by primary key.
        const scans: string[] = [];
        const walk = (node: Record<string, unknown>) => {
          if (node["Relation Name"] === "jobs")
            scans.push(`${node["Node Type"] as string} ${(node["Index Name"] as string | undefined) ?? ""}`);
          for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
        };
        walk((plan as [{ Plan: Record<string, unknown> }])[0].Plan);
        expect(scans).toContain("Index Scan jobs_status_isLimited_priority_runAt_id_idx");
        expect(scans.filter((scan) => scan.startsWith("Seq Scan"))).toEqual([]);
      } finally {
        await client.end();
      }
    });
  },
);
