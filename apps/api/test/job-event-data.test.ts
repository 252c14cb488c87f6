import { describe, expect } from "vitest";
import type { NewJob } from "../src/db/job-store/index.js";
import type { JobRow } from "../src/db/rows.js";
import { jobEventData } from "../src/jobs/mapper.js";
import { testProviders } from "./support/databases.js";
import { jobFactory, test } from "./support/fixtures.js";

const providers = await testProviders();

/**
 * On PostgreSQL a claim's events are written by the database itself (the function
 * `jobdeck_job_data`, migration 20261206160000), so that a claim is one message. Its text must be
 * what the process writes for the same row (jobs/mapper.ts, jobEventData), byte for byte, whatever
 * the row holds.
 */
describe.runIf(providers.includes("postgresql"))("a job's event data written by PostgreSQL", () => {
  test.override({ provider: "postgresql" });

  const newJob = jobFactory();

  const tricky = [
    "",
    'quote " and back\\slash \\" and \\\\',
    "line\nbreak\ttab\r\b\f and \u0001\u001f\u007f",
    "ünïcödé ✓ 𝄞 \u2028 \u00e9",
    'looks like json: {"a": 1, "b": [1, 2]}',
    "  spaces  around : and , ",
  ];

  test("is the process's own text for pending, running and ended jobs of every shape", async ({
    store,
    db,
  }) => {
    const jobs: NewJob[] = [
      newJob(),
      newJob({ payload: null }),
      newJob({ payload: [1, -2.5, 0.1, 1e20, 123456789.125, true, false, null, "x"] }),
      newJob({ payload: Object.fromEntries(tricky.map((text, i) => [`k${i} ${text}`, text])) }),
      newJob({ payload: { nested: { deep: [{ a: [] }, {}], "b c": "d : e, f" } } }),
      newJob({
        type: 't"ype',
        queue: "q ü",
        priority: -7,
        concurrencyKey: 'key "1"',
        tags: ["a", "b c", 'd"e'],
        metadata: { team: "x y", n: 3, ok: true },
        runAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6)),
      }),
      newJob({ dedupeKey: "d\\1", runAt: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)) }),
      newJob({ scheduleId: "sch_1", batchId: "bat_1", retryOf: "0190c1e0-0000-7000-8000-000000000001" }),
    ];
    for (const job of jobs)
      if (job.dedupeKey) await store.insertOrDeduplicate(job, new Date(), { mode: "skip" });
      else await store.insertJob(job, new Date());
    // Some of them run, and end every way a job ends, with results, errors and progress.
    const claimed = await store.claimJobs({ owner: "w", types: ["t"], limit: 3, leaseMs: 60_000 });
    expect(claimed).toHaveLength(3);
    const [a, b] = claimed;
    const fence = (row: JobRow) => ({ id: row.id, attempts: row.attempts, leaseOwner: row.leaseOwner! });
    await store.setProgress(
      fence(claimed[2]!),
      JSON.stringify({ done: 1, of: 3, note: tricky[1] }),
      new Date(),
    );
    await store.settleAttempt(
      fence(a!),
      { status: "completed", result: { ok: tricky[2], list: [1, "2"] } },
      new Date(),
    );
    await store.settleAttempt(
      fence(b!),
      { status: "failed", error: { code: tricky[4]!, message: tricky[3]! }, isTimeout: false },
      new Date(),
    );

    const at = new Date(Date.UTC(2029, 5, 1));
    const rows = await db.read.all<JobRow & { sqlData: string }>(
      `SELECT j.*, "jobdeck_job_data"(j, @at) AS "sqlData" FROM "jobs" AS j ORDER BY j."id"`,
      { at },
    );
    expect(rows).toHaveLength(jobs.length);
    const statuses = new Set(rows.map((row) => row.status));
    expect([...statuses].sort()).toEqual(["completed", "failed", "pending", "running"]);
    for (const { sqlData, ...row } of rows) {
      // The process tells a pending job's waitReason for now; the function for `at`: the same instant.
      const realNow = Date.now;
      Date.now = () => at.getTime();
      try {
        expect(sqlData, row.id).toBe(jobEventData(row));
      } finally {
        Date.now = realNow;
      }
    }
  });
});
