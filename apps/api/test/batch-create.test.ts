import {
  JobResponseSchema,
  JobStatsResponseSchema,
  JobsBatchResponseSchema,
  ListJobsResponseSchema,
  type Job,
  type JobsBatchResponse,
} from "@jobdeck/contract";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { openEventStream } from "./support/jobs.js";
import { postJson, startTestServer, type TestResponse, type TestServer } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

const echo = (n: number) => ({ type: "echo", payload: { n } });
const echoes = (count: number) => Array.from({ length: count }, (_, n) => echo(n));

const sendBatch = (
  server: TestServer,
  token: string,
  jobs: unknown,
  headers: Record<string, string> = {},
) => {
  const init = postJson({ jobs }, token);
  return server.request("/v1/jobs/batch", { ...init, headers: { ...(init.headers as object), ...headers } });
};

const batchOf = (response: TestResponse): JobsBatchResponse => {
  expect(response.status, response.text).toBe(201);
  return JobsBatchResponseSchema.parse(response.body);
};

const detailPaths = (response: TestResponse) =>
  (response.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);

/** §12's batches: many create bodies, one transaction, one answer. */
describe.each(providers)("POST /v1/jobs/batch on %s", (provider) => {
  const suite = serveSuite(provider);
  const post = (jobs: unknown, headers: Record<string, string> = {}, token = suite.alice) =>
    sendBatch(suite.server, token, jobs, headers);

  it("creates every job, in the order sent, each with the batch's id, and the list and stats filter on it", async () => {
    const sent = echoes(25);
    const response = await post(sent);
    const answer = batchOf(response);
    const { batchId, jobs } = answer.data;
    expect(answer.message).toBe("25 jobs created in a batch");
    expect(jobs.map((job) => job.payload)).toEqual(sent.map((job) => job.payload));
    for (const job of jobs) {
      expect(job).toMatchObject({
        type: "echo",
        status: "pending",
        batchId,
        scheduleId: null,
        queue: "default",
        dedupeKey: null,
        attempts: 0,
      });
    }
    expect(new Set(jobs.map((job) => job.id)).size).toBe(25);
    expect(response.headers.get("location")).toBe(`/v1/jobs?batchId=${batchId}&limit=100`);

    // As GET /v1/jobs/{id} shows each of them, and in the order sent when read oldest first.
    const first = await suite.server.request(`/v1/jobs/${jobs[0]!.id}`, { token: suite.alice });
    expect(JobResponseSchema.parse(first.body).data).toEqual(jobs[0]);
    const listed = await suite.server.request(`/v1/jobs?batchId=${batchId}&limit=100&sortOrder=asc`, {
      token: suite.alice,
    });
    expect(ListJobsResponseSchema.parse(listed.body).data).toEqual(jobs);
    const stats = await suite.server.request(`/v1/jobs/stats?batchId=${batchId}`, { token: suite.alice });
    expect(JobStatsResponseSchema.parse(stats.body).data).toMatchObject({
      total: 25,
      byStatus: { pending: 25 },
    });

    // Another batch is another id; bob sees none of alice's.
    const other = batchOf(await post([echo(1)]));
    expect(other.data.batchId).not.toBe(batchId);
    expect(other.message).toBe("1 job created in a batch");
    const bobs = await suite.server.request(`/v1/jobs?batchId=${batchId}&limit=10`, { token: suite.bob });
    expect(ListJobsResponseSchema.parse(bobs.body).data).toEqual([]);
  });

  it("takes §11's options per item, as the single create does, waitReason included", async () => {
    await suite.server.request("/v1/queues/limited/pause", { method: "POST", token: suite.alice });
    const later = new Date(Date.now() + 3_600_000);
    const items = [
      { type: "echo", payload: {}, queue: "mail.batch", priority: 7, concurrencyKey: "acme" },
      { type: "echo", payload: {}, delayMs: 60_000 },
      { type: "echo", payload: {}, runAt: later.toISOString().replace("Z", "+00:00") },
      { type: "echo", payload: {}, runAt: "2020-01-01T00:00:00Z", priority: -100 },
      { type: "echo", payload: {}, queue: "limited" },
    ];
    const { jobs } = batchOf(await post(items)).data;
    expect(jobs[0]).toMatchObject({ queue: "mail.batch", priority: 7, concurrencyKey: "acme" });
    expect(Date.parse(jobs[1]!.runAt) - Date.parse(jobs[1]!.createdAt)).toBe(60_000);
    expect(jobs[1]!.waitReason).toBe("scheduled");
    expect(jobs[2]!.runAt).toBe(later.toISOString());
    expect(jobs[3]).toMatchObject({ priority: -100, runAt: jobs[3]!.createdAt });
    expect(jobs[4]!.waitReason).toBe("paused");
    // Each as POST /v1/jobs shows the same item (its own id and times aside).
    for (const [i, item] of items.entries()) {
      const single = JobResponseSchema.parse(
        (await suite.server.request("/v1/jobs", postJson(item, suite.alice))).body,
      );
      const comparable = (job: Job) => ({
        ...job,
        id: "",
        createdAt: "",
        updatedAt: "",
        runAt: "",
        batchId: null,
      });
      expect(comparable(jobs[i]!), `item ${i}`).toEqual(comparable(single.data));
    }
    // The new queue exists, with no limits.
    const queue = await suite.server.prisma.queue.findUniqueOrThrow({
      where: { userId_name: { userId: "alice", name: "mail.batch" } },
    });
    expect(queue).toMatchObject({ isPaused: false, concurrency: null, isFlowControlled: false });
    // A job created in a paused queue carries its flag, as a single create's does.
    const limited = await suite.server.prisma.job.findUniqueOrThrow({ where: { id: jobs[4]!.id } });
    expect(limited.isLimited).toBe(true);
  });

  it("creates nothing, and appends no event, when item 500 of 1,000 is bad", async () => {
    const items: unknown[] = echoes(1000);
    items[500] = { type: "sleep", payload: { ms: 600_001 } };
    const response = await suite.noWrites(() => post(items));
    expectError(response, 400, "VALIDATION_FAILED", {
      message: "jobs.500.payload.ms: must be at most 600000",
      details: [{ path: "jobs.500.payload.ms", message: "must be at most 600000" }],
    });
  });

  it("names every bad item by its path: its shape, an unknown type, a refused payload, a dedupeKey", async () => {
    // Shapes the contract refuses, beside items only their type refuses: all in one answer.
    const mixed = [
      echo(0),
      { type: 5, payload: {} },
      echo(2),
      { type: "sleep", payload: { ms: -1 } },
      { type: "nope", payload: {} },
      { type: "echo" },
      { type: "echo", payload: {}, dedupeKey: "k" },
      { type: "echo", payload: {}, colour: "red" },
      { type: "echo", payload: {}, priority: 101 },
      { type: "markdown.render", payload: { markdown: 3 } },
      { type: "echo", payload: {}, runAt: new Date().toISOString(), delayMs: 5 },
    ];
    const response = await suite.noWrites(() => post(mixed));
    const body = expectError(response, 400, "VALIDATION_FAILED");
    expect(detailPaths(response)).toEqual([
      "jobs.1.type",
      "jobs.3.payload.ms",
      "jobs.4.type",
      "jobs.5.payload",
      "jobs.6.dedupeKey",
      "jobs.7.colour",
      "jobs.8.priority",
      "jobs.9.payload.markdown",
      "jobs.10.delayMs",
    ]);
    expect(body.error.details?.find((d) => d.path === "jobs.4.type")?.message).toMatch(
      /^is not a known job type; known types: .*echo/,
    );

    // Every item well formed: only the types speak, and still every one of them.
    const typed = [
      echo(0),
      { type: "sleep", payload: { ms: "x" } },
      echo(2),
      { type: "missing", payload: 1 },
    ];
    const typedResponse = await suite.noWrites(() => post(typed));
    expectError(typedResponse, 400, "VALIDATION_FAILED");
    expect(detailPaths(typedResponse)).toEqual(["jobs.1.payload.ms", "jobs.3.type"]);
  });

  it("refuses dedupeKey in a batch, and dedupe's fields with it", async () => {
    const response = await suite.noWrites(() =>
      post([echo(0), { type: "echo", payload: {}, dedupeKey: "one" }]),
    );
    expectError(response, 400, "VALIDATION_FAILED", {
      message: "jobs.1.dedupeKey: is not accepted in a batch",
      details: [{ path: "jobs.1.dedupeKey", message: "is not accepted in a batch" }],
    });
    const withMode = await suite.noWrites(() =>
      post([{ type: "echo", payload: {}, dedupeKey: "one", dedupe: "replace" }]),
    );
    expectError(withMode, 400, "VALIDATION_FAILED");
    expect(detailPaths(withMode)).toEqual(["jobs.0.dedupeKey"]);
  });

  it("refuses 0 and 1,001 items, a body without jobs, and a body over 8 MiB (413); 1–8 MiB is fine", async () => {
    const none = await suite.noWrites(() => post([]));
    expectError(none, 400, "VALIDATION_FAILED", {
      details: [{ path: "jobs", message: "must have at least 1 item" }],
    });
    const tooMany = await suite.noWrites(() => post(echoes(1001)));
    expectError(tooMany, 400, "VALIDATION_FAILED", {
      details: [{ path: "jobs", message: "must have at most 1000 items" }],
    });
    const notArray = await suite.noWrites(() => post({ type: "echo" }));
    expectError(notArray, 400, "VALIDATION_FAILED", { details: [{ path: "jobs", message: /array/ }] });
    const missing = await suite.noWrites(() =>
      suite.server.request("/v1/jobs/batch", postJson({ job: [] }, suite.alice)),
    );
    expect(detailPaths(missing).sort()).toEqual(["job", "jobs"]);

    // 1,000 items of about 8.4 KB: just over 8 MiB.
    const big = Array.from({ length: 1000 }, (_, n) => ({
      type: "echo",
      payload: { n, text: "x".repeat(8400) },
    }));
    const tooLarge = await suite.noWrites(() => post(big));
    expectError(tooLarge, 413, "PAYLOAD_TOO_LARGE", { message: "Request body is larger than 8 MiB" });

    // Over a single create's 1 MiB, under the batch's 8 MiB.
    const large = Array.from({ length: 200 }, (_, n) => ({
      type: "echo",
      payload: { n, text: "y".repeat(8000) },
    }));
    const created = batchOf(await post(large));
    expect(created.data.jobs).toHaveLength(200);
    // The single create keeps its own limit.
    const single = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: { text: "z".repeat(1024 * 1024) } }, suite.alice),
    );
    expectError(single, 413, "PAYLOAD_TOO_LARGE", { message: "Request body is larger than 1 MiB" });
  });

  it("answers 415 for a body that is not JSON, and lets each item nest as deep as a single create's body", async () => {
    const response = await suite.noWrites(() =>
      suite.server.request("/v1/jobs/batch", {
        method: "POST",
        token: suite.alice,
        body: "jobs=1",
        headers: { "content-type": "text/plain" },
      }),
    );
    expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    // A payload of 63 nested objects makes a create body of 64 levels: accepted alone and in a batch;
    // one more level is refused in both.
    let deep: unknown = 1;
    for (let i = 0; i < 63; i++) deep = { d: deep };
    const single = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: deep }, suite.alice),
    );
    expect(single.status, single.text).toBe(201);
    batchOf(await post([{ type: "echo", payload: deep }]));
    const deeper = await suite.noWrites(() => post([{ type: "echo", payload: { d: deep } }]));
    expectError(deeper, 400, "VALIDATION_FAILED", { details: [{ path: "body", message: /deeper than 64/ }] });
    const deeperAlone = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", postJson({ type: "echo", payload: { d: deep } }, suite.alice)),
    );
    expectError(deeperAlone, 400, "VALIDATION_FAILED");
  });

  it("runs a batch once per Idempotency-Key: the same 201 again, and a 409 for another body", async () => {
    const items = echoes(30);
    const key = { "idempotency-key": `batch-${provider}` };
    const first = await post(items, key);
    const firstBody = batchOf(first);
    const again = await suite.noWrites(() => post(items, key));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(firstBody);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const conflict = await suite.noWrites(() => post(echoes(31), key));
    expectError(conflict, 409, "CONFLICT");
    // Bob's identical key is unrelated.
    batchOf(await post(items, key, suite.bob));
    // A refused batch leaves its key free: the next one under it runs.
    const refusedKey = { "idempotency-key": `refused-${provider}` };
    await suite.noWrites(() => post([{ type: "nope", payload: {} }], refusedKey));
    batchOf(await post(items, refusedKey));
  });

  it("writes a job.created webhook message per job for an owner's webhook, and none for others", async () => {
    const hook = await suite.server.request(
      "/v1/webhooks",
      postJson({ url: "http://127.0.0.1:9/hook", events: ["job.created"] }, suite.alice),
    );
    expect(hook.status, hook.text).toBe(201);
    const { jobs } = batchOf(await post(echoes(4))).data;
    const messages = await suite.server.prisma.webhookMessage.findMany({
      where: { jobId: { in: jobs.map((job) => job.id) } },
    });
    expect(messages.map((m) => m.eventType).sort()).toEqual(jobs.map(() => "job.created"));
    expect(new Set(messages.map((m) => m.jobId))).toEqual(new Set(jobs.map((job) => job.id)));
    const bobs = batchOf(await post(echoes(3), {}, suite.bob)).data.jobs;
    expect(
      await suite.server.prisma.webhookMessage.count({ where: { jobId: { in: bobs.map((job) => job.id) } } }),
    ).toBe(0);
  });

  it("appends one event per job, seen on GET /v1/events", async () => {
    const stream = await openEventStream(suite.server, suite.alice);
    try {
      await stream.readyId();
      const { jobs } = batchOf(await post(echoes(5))).data;
      const seen: string[] = [];
      for (let i = 0; i < jobs.length; i++)
        seen.push((await stream.next((job) => job.batchId === jobs[0]!.batchId)).job.id);
      expect(seen).toEqual(jobs.map((job) => job.id));
      const events = await suite.server.prisma.jobEvent.findMany({
        where: { jobId: { in: jobs.map((j) => j.id) } },
      });
      expect(events).toHaveLength(5);
    } finally {
      stream.close();
    }
  });
});

describe.each(providers)("a batch's jobs on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider, { WORKER_CONCURRENCY: "4", RATE_LIMIT_PER_MINUTE: "3" });
  });
  afterAll(() => server?.close());

  it("are run by the worker, and a batch counts as one request against the rate limit", async () => {
    const token = server.token("carol");
    const sent = echoes(40);
    const { jobs } = batchOf(await sendBatch(server, token, sent)).data;
    // Watched in the database: polling the API would spend carol's 3 requests a minute.
    const deadline = Date.now() + 30_000;
    while (
      (await server.prisma.job.count({ where: { batchId: jobs[0]!.batchId!, status: "completed" } })) < 40
    ) {
      if (Date.now() > deadline) throw new Error("the batch's jobs did not all complete");
      await delay(50);
    }
    const listed = await server.request(`/v1/jobs?batchId=${jobs[0]!.batchId}&limit=100&sortOrder=asc`, {
      token,
    });
    const ended = ListJobsResponseSchema.parse(listed.body).data;
    expect(ended.map((job) => job.id)).toEqual(jobs.map((job) => job.id));
    expect(ended.map((job) => job.status)).toEqual(jobs.map(() => "completed"));
    expect(ended.map((job) => job.result)).toEqual(sent.map((item) => item.payload));

    // 40 jobs were one request of 3 a minute: one more batch passes, then the limit holds.
    const other = server.token("dave");
    const second = await sendBatch(server, other, echoes(100));
    expect(second.headers.get("ratelimit")).toMatch(/r=2/);
    expect((await sendBatch(server, other, echoes(100))).status).toBe(201);
    expect((await sendBatch(server, other, echoes(100))).status).toBe(201);
    expectError(await sendBatch(server, other, echoes(1)), 429, "RATE_LIMITED");
  });
});
