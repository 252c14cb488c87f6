import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobStore, type NewJob } from "../src/db/job-store/index.js";
import { jobEventData } from "../src/jobs/mapper.js";
import { testProviders } from "./support/databases.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

/**
 * On PostgreSQL a create without a dedupe key, tags or metadata is one call of the function
 * jobdeck_create_job (SqlFragments.createJobSql), whose plans the session keeps. It must write
 * exactly what the statements it replaces write: the store built without it is the reference.
 */

const providers = await testProviders();

describe.runIf(providers.includes("postgresql"))("jobdeck_create_job on PostgreSQL", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer("postgresql");
  });
  afterAll(async () => {
    await server?.close();
  });

  const FUNCTION_USER = "user-via-function";
  const STATEMENTS_USER = "user-via-statements";

  /** What a create wrote: the job's row, its events and webhook messages, its queue; its id and owner named. */
  const written = async (id: string) => {
    const { read } = server.runtime.db;
    const [job] = await read.all(`SELECT * FROM "jobs" WHERE "id" = @id`, { id });
    const events = await read.all(
      `SELECT "userId", "jobId", "kind", "data", "createdAt" FROM "job_events" WHERE "jobId" = @id ORDER BY "id"`,
      { id },
    );
    // Each user's webhooks have their own ids: the messages are compared without them.
    const messages = await read.all(
      `SELECT "userId", "eventType", "jobId", "body", "status", "attempts", "failures", "nextAttemptAt",
        "leaseOwner", "expiresAt", "createdAt", "updatedAt" FROM "webhook_messages" WHERE "jobId" = @id`,
      { id },
    );
    const queues = await read.all(
      `SELECT "userId", "name", "isPaused", "concurrency", "isFlowControlled", "version", "createdAt", "updatedAt"
        FROM "queues" WHERE "userId" = @userId AND "name" = @queue`,
      { userId: job!.userId, queue: job!.queue },
    );
    return JSON.parse(
      JSON.stringify({ job, events, messages, queues })
        .replaceAll(id, "<id>")
        .replaceAll(String(job!.userId), "<user>"),
    ) as unknown;
  };

  const job = (id: string, userId: string, fields: Partial<NewJob>): NewJob => ({
    id,
    userId,
    type: "echo",
    resultType: "json",
    payload: { text: 'it\'s \\ "quoted" ✓', n: [1, 2.5, null] },
    maxAttempts: 3,
    timeoutMs: 10_000,
    ...fields,
  });

  it("writes what the create's statements write: row, queue, event, webhook messages", async () => {
    for (const user of [FUNCTION_USER, STATEMENTS_USER]) {
      const token = server.token(user);
      for (const events of [["job.created"], ["job.completed"]]) {
        const hook = postJson({ url: "http://127.0.0.1:9/hook", events }, token);
        expect((await server.request("/v1/webhooks", hook)).status).toBe(201);
      }
      // A flow-controlled queue: its jobs are created with isLimited set.
      const limits = { concurrency: 2, perKeyConcurrency: null, rateLimit: null, perKeyRateLimit: null };
      const put = { ...postJson(limits, token), method: "PUT" };
      expect((await server.request("/v1/queues/limited", put)).status).toBe(200);
    }
    const { db } = server.runtime;
    // The two users' limited queues were made a moment apart: made the same moment, they compare.
    await db.writer.run(`UPDATE "queues" SET "createdAt" = @at, "updatedAt" = @at WHERE "name" = 'limited'`, {
      at: new Date(Date.UTC(2025, 0, 1)),
    });
    expect(db.sql.createJobSql).toBeDefined();
    const viaStatements = createJobStore(
      { ...db, sql: { ...db.sql, createJobSql: undefined } },
      { eventData: jobEventData },
    );
    const cases: Partial<NewJob>[] = [
      {},
      // A queue the create makes, a key, a priority, a time ahead.
      { queue: "fresh", priority: 7, concurrencyKey: "k1", runAt: new Date(Date.UTC(2026, 0, 2)) },
      { queue: "limited", retryOf: "some-job", scheduleId: "sch_1", batchId: "bat_1" },
      { type: "sleep", payload: { ms: 1 }, maxAttempts: 1, timeoutMs: 5_000 },
    ];
    for (const [n, fields] of cases.entries()) {
      const now = new Date(Date.UTC(2026, 0, 1, 0, 0, n));
      const a = await server.runtime.store.insertJob(job(`via-function-${n}`, FUNCTION_USER, fields), now);
      const b = await viaStatements.insertJob(job(`via-statements-${n}`, STATEMENTS_USER, fields), now);
      expect(await written(a.id)).toEqual(await written(b.id));
    }
    const [limited] = await db.read.all(`SELECT "isLimited" FROM "jobs" WHERE "id" = 'via-function-2'`);
    expect(limited).toEqual({ isLimited: true });
    // One message per created job, to the job.created webhook only.
    const messages = await db.read.all(
      `SELECT "jobId", "eventType" FROM "webhook_messages" WHERE "userId" = @userId ORDER BY "jobId"`,
      { userId: FUNCTION_USER },
    );
    expect(messages).toEqual(
      [0, 1, 2, 3].map((n) => ({ jobId: `via-function-${n}`, eventType: "job.created" })),
    );
  });

  it("fails as the statements do: a job id already taken writes nothing more", async () => {
    const { store, db } = server.runtime;
    const now = new Date();
    await store.insertJob(job("fn-dup", FUNCTION_USER, {}), now);
    await expect(store.insertJob(job("fn-dup", FUNCTION_USER, { queue: "never" }), now)).rejects.toThrow(
      /duplicate key/,
    );
    expect(await db.read.all(`SELECT "name" FROM "queues" WHERE "name" = 'never'`)).toEqual([]);
    expect(await db.read.all(`SELECT COUNT(*) AS "n" FROM "job_events" WHERE "jobId" = 'fn-dup'`)).toEqual([
      { n: 1 },
    ]);
  });
  it("tells listening processes of a create after its commit (jobs with its type, events), and of a failed one nothing", async () => {
    const listener = new pg.Client({ connectionString: server.database.url });
    await listener.connect();
    const heard: [string, string][] = [];
    listener.on("notification", ({ channel, payload }) => heard.push([channel, payload ?? ""]));
    try {
      await listener.query("LISTEN jobdeck_jobs; LISTEN jobdeck_events");
      const { store } = server.runtime;
      const row = await store.insertJob(
        job("fn-heard", FUNCTION_USER, { type: "sleep", payload: {} }),
        new Date(),
      );
      await expect(store.insertJob(job(row.id, FUNCTION_USER, {}), new Date())).rejects.toThrow(
        /duplicate key/,
      );
      // PostgreSQL delivers the notifications committed before a statement ahead of that statement's answer.
      await listener.query("SELECT 1");
      expect(heard).toEqual([
        ["jobdeck_jobs", "sleep"],
        ["jobdeck_events", ""],
      ]);
    } finally {
      await listener.end();
    }
  });
});
