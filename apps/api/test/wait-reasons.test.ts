import { randomUUID } from "node:crypto";
import {
  JobResponseSchema,
  JobStatsResponseSchema,
  ListJobsResponseSchema,
  type Job,
  type QueueSettings,
  type WaitReason,
} from "@jobdeck/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import type { TestServer } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

const NO_LIMITS: QueueSettings = {
  concurrency: null,
  perKeyConcurrency: null,
  rateLimit: null,
  perKeyRateLimit: null,
};
const HOUR = 3_600_000;

type Seed = {
  type?: string;
  status?: string;
  queue?: string;
  concurrencyKey?: string | null;
  attempts?: number;
  runAtFromNow?: number;
  priority?: number;
  createdAt?: number;
};

/** A job row as the engine would have left it, for states the API cannot make in a test's time. */
async function seedJob(server: TestServer, userId: string, seed: Seed): Promise<string> {
  const id = randomUUID();
  const createdAt = new Date(seed.createdAt ?? Date.now() - HOUR);
  await server.prisma.job.create({
    data: {
      id,
      userId,
      type: seed.type ?? "echo",
      status: seed.status ?? "pending",
      resultType: "json",
      payload: "{}",
      attempts: seed.attempts ?? 0,
      maxAttempts: 3,
      timeoutMs: 1000,
      runAt: new Date(Date.now() + (seed.runAtFromNow ?? -HOUR)),
      createdAt,
      updatedAt: createdAt,
      queue: seed.queue ?? "default",
      priority: seed.priority ?? 0,
      concurrencyKey: seed.concurrencyKey ?? null,
      ...(seed.status === "running" ? { startedAt: new Date() } : {}),
    },
  });
  return id;
}

/** A heartbeat of a process that runs `types`, `ageMs` ago. */
const heartbeat = (server: TestServer, types: string[], ageMs = 0) =>
  server.prisma.worker.upsert({
    where: { id: "worker-1" },
    create: {
      id: "worker-1",
      types: JSON.stringify(types),
      concurrency: 4,
      lastSeenAt: new Date(Date.now() - ageMs),
    },
    update: { types: JSON.stringify(types), lastSeenAt: new Date(Date.now() - ageMs) },
  });

const starts = (server: TestServer, userId: string, queue: string, keys: string[]) =>
  server.prisma.queueStart.createMany({
    data: keys.map((concurrencyKey) => ({
      userId,
      queue,
      concurrencyKey,
      startedAt: new Date(Date.now() - 1000),
    })),
  });

describe.each(providers)("waitReason on %s", (provider) => {
  const suite = serveSuite(provider);
  const ids: Record<string, string> = {};
  /** What each seeded job's waitReason must be while the worker is alive. */
  const EXPECTED: Record<string, WaitReason | null> = {
    pausedQueue: "paused",
    pausedNoWorker: "paused",
    scheduledInPaused: "scheduled",
    scheduled: "scheduled",
    backoff: "backoff",
    noWorker: "no_worker",
    overQueueConcurrency: "concurrency",
    overKeyConcurrency: "concurrency",
    otherKey: "queued",
    overRate: "rate_limit",
    overKeyRate: "rate_limit",
    otherKeyRate: "queued",
    queued: "queued",
    running: null,
    completed: null,
  };

  const put = (name: string, settings: Partial<QueueSettings>) =>
    suite.server.request(`/v1/queues/${name}`, {
      method: "PUT",
      token: suite.alice,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...NO_LIMITS, ...settings }),
    });
  const list = async (query: string, token = suite.alice) => {
    const response = await suite.server.request(`/v1/jobs?${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return ListJobsResponseSchema.parse(response.body);
  };
  const stats = async (query: string) => {
    const response = await suite.server.request(`/v1/jobs/stats?${query}`, { token: suite.alice });
    expect(response.status, response.text).toBe(200);
    return JobStatsResponseSchema.parse(response.body).data;
  };
  const nameOf = (job: Job) => Object.entries(ids).find(([, id]) => id === job.id)?.[0];

  beforeAll(async () => {
    const { server, alice } = { server: suite.server, alice: "alice" };
    await heartbeat(server, ["echo"]);
    expect((await suite.post("/v1/queues/stopped/pause", suite.alice)).status).toBe(200);
    expect((await put("conc", { concurrency: 1 })).status).toBe(200);
    expect((await put("perkey", { perKeyConcurrency: 1 })).status).toBe(200);
    expect((await put("rate", { rateLimit: { limit: 2, periodMs: 60_000 } })).status).toBe(200);
    expect((await put("keyrate", { perKeyRateLimit: { limit: 1, periodMs: 60_000 } })).status).toBe(200);
    await starts(server, alice, "rate", ["", "x"]);
    await starts(server, alice, "keyrate", ["a"]);
    // An old start, outside the window, does not count.
    await server.prisma.queueStart.create({
      data: {
        userId: alice,
        queue: "keyrate",
        concurrencyKey: "b",
        startedAt: new Date(Date.now() - 120_000),
      },
    });
    const seeds: Record<string, Seed> = {
      pausedQueue: { queue: "stopped" },
      pausedNoWorker: { queue: "stopped", type: "sleep" },
      scheduledInPaused: { queue: "stopped", runAtFromNow: HOUR },
      scheduled: { runAtFromNow: HOUR },
      backoff: { runAtFromNow: 60_000, attempts: 1 },
      noWorker: { type: "sleep" },
      running: { queue: "conc", status: "running" },
      overQueueConcurrency: { queue: "conc" },
      runningKey: { queue: "perkey", status: "running", concurrencyKey: "k1" },
      overKeyConcurrency: { queue: "perkey", concurrencyKey: "k1" },
      otherKey: { queue: "perkey", concurrencyKey: "k2" },
      overRate: { queue: "rate" },
      overKeyRate: { queue: "keyrate", concurrencyKey: "a" },
      otherKeyRate: { queue: "keyrate", concurrencyKey: "b" },
      queued: {},
      completed: { status: "completed" },
    };
    let createdAt = Date.now() - 2 * HOUR;
    for (const [name, seed] of Object.entries(seeds))
      ids[name] = await seedJob(server, alice, { createdAt: createdAt++, ...seed });
    // Bob's jobs never count among alice's.
    await seedJob(server, "bob", { queue: "conc" });
  });

  it("GET /v1/jobs/{id} says why each pending job waits, in §11's order; other statuses say null", async () => {
    for (const [name, reason] of Object.entries(EXPECTED)) {
      const response = await suite.server.request(`/v1/jobs/${ids[name]}`, { token: suite.alice });
      expect(response.status, name).toBe(200);
      expect(JobResponseSchema.parse(response.body).data.waitReason, name).toBe(reason);
    }
  });

  it("the list shows the same reasons, and filters by them (one or a comma list)", async () => {
    const all = await list("limit=100");
    expect(Object.fromEntries(all.data.map((job) => [nameOf(job), job.waitReason]))).toMatchObject(EXPECTED);
    expect(all.pagination).toEqual({ limit: 100, nextCursor: null, hasMore: false, isPartial: false });
    const byReason = async (reasons: string) =>
      (await list(`limit=100&sortBy=createdAt&sortOrder=asc&waitReason=${reasons}`)).data.map(nameOf);
    expect(await byReason("concurrency")).toEqual(["overQueueConcurrency", "overKeyConcurrency"]);
    expect(await byReason("rate_limit,paused")).toEqual([
      "pausedQueue",
      "pausedNoWorker",
      "overRate",
      "overKeyRate",
    ]);
    expect(await byReason("queued")).toEqual(["otherKey", "otherKeyRate", "queued"]);
    expect(await byReason("backoff, scheduled")).toEqual(["scheduledInPaused", "scheduled", "backoff"]);
    expect(await byReason("no_worker")).toEqual(["noWorker"]);
    // Only pending jobs have a reason: a status filter without pending matches nothing.
    expect(await byReason("queued&status=running,completed")).toEqual([]);
    expect(await byReason("queued&status=pending,completed&queue=perkey")).toEqual(["otherKey"]);
    expect(await byReason("concurrency&concurrencyKey=k1")).toEqual(["overKeyConcurrency"]);
  });

  it("stats count pending jobs by their reason, exactly, with the other filters", async () => {
    const pendingOnly = (pending: number) => ({
      total: pending,
      byStatus: { pending, running: 0, completed: 0, failed: 0, cancelled: 0 },
    });
    expect(await stats("waitReason=concurrency,rate_limit")).toEqual(pendingOnly(4));
    expect(await stats("waitReason=queued")).toEqual(pendingOnly(3));
    expect(await stats("waitReason=queued&queue=keyrate")).toEqual(pendingOnly(1));
    expect(await stats("waitReason=scheduled,backoff")).toEqual(pendingOnly(3));
    expect(await stats("waitReason=paused&status=completed")).toEqual(pendingOnly(0));
    expect(await stats("waitReason=paused&type=sleep")).toEqual(pendingOnly(1));
  });

  it("no live worker with the type: no_worker, after paused and before the limits", async () => {
    await heartbeat(suite.server, ["echo"], 31_000);
    try {
      const all = await list("limit=100");
      const reasons = Object.fromEntries(all.data.map((job) => [nameOf(job), job.waitReason]));
      expect(reasons).toMatchObject({
        pausedQueue: "paused",
        scheduled: "scheduled",
        backoff: "backoff",
        overQueueConcurrency: "no_worker",
        overRate: "no_worker",
        queued: "no_worker",
      });
      expect(await stats("waitReason=no_worker")).toMatchObject({ total: 8 });
    } finally {
      await heartbeat(suite.server, ["echo"]);
    }
  });

  it("a create answers the reason its job has right after, for every reason (read with its write on PostgreSQL)", async () => {
    const carol = suite.server.token("carol");
    const request = (path: string, method: string, body?: unknown) =>
      suite.server.request(path, {
        method,
        token: carol,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await request("/v1/queues/stopped/pause", "POST")).status).toBe(200);
    for (const [name, settings] of [
      ["conc", { concurrency: 1 }],
      ["perkey", { perKeyConcurrency: 1 }],
      ["rate", { rateLimit: { limit: 1, periodMs: 60_000 } }],
    ] as const)
      expect((await request(`/v1/queues/${name}`, "PUT", { ...NO_LIMITS, ...settings })).status).toBe(200);
    await seedJob(suite.server, "carol", { queue: "conc", status: "running" });
    await seedJob(suite.server, "carol", { queue: "perkey", status: "running", concurrencyKey: "k1" });
    await starts(suite.server, "carol", "rate", [""]);
    const cases: [Record<string, unknown>, WaitReason][] = [
      [{ type: "echo" }, "queued"],
      [{ type: "echo", queue: "brand-new" }, "queued"],
      [{ type: "sleep", payload: { ms: 1 } }, "no_worker"],
      [{ type: "echo", queue: "stopped" }, "paused"],
      [{ type: "sleep", payload: { ms: 1 }, queue: "conc" }, "no_worker"],
      [{ type: "echo", queue: "conc" }, "concurrency"],
      [{ type: "echo", queue: "perkey", concurrencyKey: "k1" }, "concurrency"],
      [{ type: "echo", queue: "perkey", concurrencyKey: "k2" }, "queued"],
      [{ type: "echo", queue: "rate" }, "rate_limit"],
      [{ type: "echo", delayMs: 60_000 }, "scheduled"],
      [{ type: "echo", tags: ["t"], metadata: { k: 1 } }, "queued"],
      [{ type: "echo", queue: "stopped", tags: ["t"] }, "paused"],
    ];
    for (const [body, reason] of cases) {
      const created = await request("/v1/jobs", "POST", { payload: {}, ...body });
      expect(created.status, created.text).toBe(201);
      const job = JobResponseSchema.parse(created.body).data;
      expect({ body, reason: job.waitReason }).toEqual({ body, reason });
      const read = await request(`/v1/jobs/${job.id}`, "GET");
      expect(JobResponseSchema.parse(read.body).data.waitReason).toBe(reason);
    }
  });

  it("refuses an unknown reason with a 400", async () => {
    for (const path of ["/v1/jobs?limit=5&waitReason=sleeping", "/v1/jobs/stats?waitReason=queued,nope"]) {
      expectError(await suite.server.request(path, { token: suite.alice }), 400, "VALIDATION_FAILED", {
        details: [
          {
            path: "waitReason",
            message:
              "must be one of backoff, scheduled, paused, no_worker, concurrency, rate_limit, queued, comma-separated",
          },
        ],
      });
    }
  });
});

describe.each(providers)("a waitReason filter under FILTER_SCAN_LIMIT on %s", (provider) => {
  const suite = serveSuite(provider, { FILTER_SCAN_LIMIT: "3" });
  /** Which of the 12 seeded jobs are runnable (no worker: no_worker) and which scheduled. */
  const seeded: { id: string; priority: number; isScheduled: boolean }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 12; i++) {
      // Runnable jobs only in the first and last thirds: the middle third holds none to find.
      const isScheduled = i >= 4 && i < 9 ? true : i % 5 === 1;
      const priority = (i * 7) % 5;
      const id = await seedJob(suite.server, "alice", {
        createdAt: Date.now() - HOUR + i,
        runAtFromNow: isScheduled ? HOUR : -HOUR,
        priority,
      });
      seeded.push({ id, priority, isScheduled });
    }
  });

  async function walk(query: string, limit: number) {
    const pages: { ids: string[]; isPartial: boolean; hasMore: boolean }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const path: string = `/v1/jobs?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await suite.server.request(path, { token: suite.alice });
      expect(response.status, response.text).toBe(200);
      const body = ListJobsResponseSchema.parse(response.body);
      expect(body.data.length).toBeLessThanOrEqual(limit);
      expect(body.pagination.hasMore).toBe(body.pagination.nextCursor !== null);
      if (body.pagination.isPartial) expect(body.pagination.hasMore).toBe(true);
      pages.push({ ids: body.data.map((job) => job.id), ...body.pagination });
      cursor = body.pagination.nextCursor;
      if (!cursor) return pages;
    }
    throw new Error("the walk did not end");
  }

  it("answers what it found in 3 rows read, isPartial with a cursor to go on; the walk yields each match once", async () => {
    const expected = seeded.filter((job) => !job.isScheduled).map((job) => job.id);
    const pages = await walk("waitReason=no_worker&sortBy=createdAt&sortOrder=asc", 10);
    expect(pages.flatMap((page) => page.ids)).toEqual(expected);
    expect(pages.some((page) => page.isPartial)).toBe(true);
    // The middle third has nothing to find: an empty partial page is not the end.
    expect(pages.some((page) => page.isPartial && page.ids.length === 0)).toBe(true);
    expect(pages.at(-1)).toMatchObject({ isPartial: false, hasMore: false });
  });

  it("a partial walk sorted by priority keeps the order: descending priority, then id", async () => {
    const expected = seeded
      .filter((job) => job.isScheduled)
      .sort((a, b) => b.priority - a.priority || (a.id < b.id ? 1 : -1))
      .map((job) => job.id);
    const pages = await walk("waitReason=scheduled&sortBy=priority", 1);
    expect(pages.flatMap((page) => page.ids)).toEqual(expected);
  });

  it("without waitReason nothing is partial: the limit bounds only computed filters", async () => {
    const pages = await walk("sortBy=runAt", 100);
    expect(pages).toEqual([
      { ids: expect.any(Array), limit: 100, nextCursor: null, hasMore: false, isPartial: false },
    ]);
    expect(pages[0]!.ids).toHaveLength(12);
  });
});
