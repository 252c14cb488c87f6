import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { JobResponseSchema, QueueResponseSchema, type Job, type QueueSettings } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import {
  claimStartsOf,
  groupBy,
  maxOverlap,
  maxStartsInWindow,
  pairAttempts,
  readRecordDir,
  type RecordedAttempt,
} from "./support/flow-records.js";
import { assertWorkerBuilt, startWorkerProcess, type RunningProcess } from "./support/processes.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

/**
 * §11's guarantees across separate worker processes (the built `npm run worker` entry point) on one
 * database, proven over the record of every attempt (flow-records.ts), never by sampling a count:
 * concurrency per queue and per key, sliding-window rate limits with retries, fairness between
 * keys, pause, delayed starts, a SIGKILLed worker's slot, and dedupe under racing creates.
 */
const FLOW_TYPES = resolve(import.meta.dirname, "support/job-type-modules/flow-recording-job-types.js");
const TYPE = "test.flow";
const USER = "alice";
const NO_LIMITS: QueueSettings = {
  concurrency: null,
  perKeyConcurrency: null,
  rateLimit: null,
  perKeyRateLimit: null,
};

const providers = await testProviders();

type WorkerProcess = RunningProcess;
type Payload = { ms?: number; firstAttemptMs?: number; failAttempts?: number };
type CreateOptions = {
  queue: string;
  concurrencyKey?: string;
  priority?: number;
  delayMs?: number;
  runAt?: string;
};

describe.each(providers)("flow control across worker processes on %s", (provider) => {
  let server: TestServer;
  let token: string;
  let dir: string;
  const children: ChildProcess[] = [];
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    assertWorkerBuilt(["worker/worker.ts", "db/job-store/claim.ts", "db/job-store/index.ts"]);
    dir = mkdtempSync(join(tmpdir(), "jobdeck-flow-"));
    server = await startTestServer(provider, {
      JOB_TYPES_MODULE: FLOW_TYPES,
      RATE_LIMIT_PER_MINUTE: "1000000",
    });
    token = server.token(USER);
    workers = await Promise.all([1, 2, 3].map(() => startWorker(GENERAL_WORKER)));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Leases long enough that no busy moment of this machine loses one. */
  const GENERAL_WORKER = {
    WORKER_CONCURRENCY: "4",
    WORKER_LEASE_MS: "10000",
    WORKER_BACKOFF_BASE_MS: "50",
    WORKER_BACKOFF_MAX_MS: "200",
  };

  /** A worker process recording into `dir`. */
  async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
    const worker = await startWorkerProcess(server.database.url, {
      JOB_TYPES_MODULE: FLOW_TYPES,
      FLOW_RECORD_DIR: dir,
      ...env,
    });
    children.push(worker.child);
    return worker;
  }

  /** PUT /v1/queues/{name}, expecting 200 with the settings. */
  async function settings(name: string, changes: Partial<QueueSettings>) {
    const body = { ...NO_LIMITS, ...changes };
    const response = await server.request(`/v1/queues/${name}`, { ...postJson(body, token), method: "PUT" });
    expect(response.status, response.text).toBe(200);
    expect(QueueResponseSchema.parse(response.body).data).toMatchObject(body);
  }

  /** POST /v1/queues/{name}/pause or /resume, expecting 200: once it answers, the pause holds. */
  async function setPaused(name: string, isPaused: boolean) {
    const response = await server.request(`/v1/queues/${name}/${isPaused ? "pause" : "resume"}`, {
      method: "POST",
      token,
    });
    expect(response.status, response.text).toBe(200);
    expect(QueueResponseSchema.parse(response.body).data.isPaused).toBe(isPaused);
  }

  /** POST /v1/jobs, expecting 201. */
  async function create(options: CreateOptions, payload: Payload = {}): Promise<Job> {
    const body = postJson({ type: TYPE, payload, ...options }, token);
    // A kept-alive connection the server closes as the request goes out (its keep-alive timeout,
    // on a loaded machine) resets before the request is read: send it again once.
    const response = await server.request("/v1/jobs", body).catch(() => server.request("/v1/jobs", body));
    expect(response.status, response.text).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  }

  /** Creates many, ten requests at a time. */
  async function createAll(items: [CreateOptions, Payload][]): Promise<Job[]> {
    const jobs: Job[] = [];
    for (let i = 0; i < items.length; i += 10)
      jobs.push(
        ...(await Promise.all(items.slice(i, i + 10).map(([options, payload]) => create(options, payload)))),
      );
    return jobs;
  }

  /** Waits until every job of `queue` has completed (any other end fails the test). */
  async function waitForQueue(queue: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await server.prisma.job.findMany({
        where: { userId: USER, queue },
        select: { status: true },
      });
      const ended = rows.filter((row) => row.status !== "pending" && row.status !== "running");
      expect(ended.filter((row) => row.status !== "completed")).toEqual([]);
      if (ended.length === rows.length) return;
      if (Date.now() > deadline)
        throw new Error(`${queue}: ${rows.length - ended.length} of ${rows.length} not done`);
      await delay(50);
    }
  }

  /** The queue's jobs as stored now, by id. */
  async function jobsOf(queue: string) {
    const rows = await server.prisma.job.findMany({ where: { userId: USER, queue } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Every recorded attempt of the queue's jobs, with the job's key. */
  async function attemptsOf(queue: string, endOf?: (jobId: string, attempt: number) => number | undefined) {
    const jobs = await jobsOf(queue);
    return pairAttempts(
      readRecordDir(dir).filter((line) => jobs.has(line.jobId)),
      endOf,
    ).map((attempt) => ({ ...attempt, key: jobs.get(attempt.jobId)!.concurrencyKey }));
  }

  /** Every claim of the queue's jobs, from the job events (one per attempt, in commit order). */
  async function claimsOf(queue: string) {
    const events = await server.prisma.jobEvent.findMany({
      where: { userId: USER },
      select: { id: true, data: true },
    });
    return claimStartsOf(events).filter((claim) => claim.queue === queue);
  }

  /** The most attempts at one instant, failing with where it happened when over `limit`. */
  function expectAtMostAtOnce(attempts: RecordedAttempt[], limit: number, what: string): number {
    const { count, at } = maxOverlap(attempts.map((a) => ({ start: a.startedAt, end: a.endedAt })));
    const witness = attempts.filter((a) => at !== undefined && a.startedAt <= at && at < a.endedAt);
    expect(
      count,
      `${what}: ${count} attempts at once at ${at}: ${JSON.stringify(witness)}`,
    ).toBeLessThanOrEqual(limit);
    return count;
  }

  it("keeps a queue within concurrency and each key within perKeyConcurrency, across 3 processes", async () => {
    const queue = "concurrency";
    // A queue limit above one process's 4 slots: no single process can hold every slot, so the
    // work must spread over the processes (on SQLite, without cross-process signals, the process
    // that ends a job reclaims its slot at once and could otherwise keep all of them).
    await settings(queue, { concurrency: 6, perKeyConcurrency: 2 });
    const items: [CreateOptions, Payload][] = [];
    for (let i = 0; i < 40; i++) {
      const key = i % 4 === 3 ? undefined : `key-${i % 4}`;
      items.push([{ queue, ...(key ? { concurrencyKey: key } : {}) }, { ms: 30 + ((i * 37) % 120) }]);
    }
    const jobs = await createAll(items);
    await waitForQueue(queue);

    const attempts = await attemptsOf(queue);
    expect(new Set(attempts.map((a) => a.jobId))).toEqual(new Set(jobs.map((job) => job.id)));
    expect(attempts.every((a) => a.endedAt !== Infinity)).toBe(true);
    const queueMax = expectAtMostAtOnce(attempts, 6, "the queue");
    for (const [key, ofKey] of groupBy(attempts, (a) => a.key ?? undefined))
      expectAtMostAtOnce(ofKey, 2, `key ${key}`);
    // Not a vacuous pass: the work ran in parallel, spread over the processes.
    expect(queueMax).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((a) => a.worker)).size).toBeGreaterThanOrEqual(2);
  });

  it("never starts more than `limit` in any window of periodMs, retries included, per queue and per key", async () => {
    await settings("rate", { rateLimit: { limit: 5, periodMs: 1000 } });
    await settings("key-rate", { perKeyRateLimit: { limit: 2, periodMs: 1000 } });
    const items: [CreateOptions, Payload][] = [];
    // 20 jobs, every fourth failing once: 25 starts.
    for (let i = 0; i < 20; i++)
      items.push([{ queue: "rate" }, { ms: 10, failAttempts: i % 4 === 0 ? 1 : 0 }]);
    for (let i = 0; i < 12; i++)
      items.push([
        { queue: "key-rate", concurrencyKey: i % 2 ? "x" : "y" },
        { ms: 10, failAttempts: i === 0 ? 1 : 0 },
      ]);
    for (let i = 0; i < 4; i++) items.push([{ queue: "key-rate" }, { ms: 10 }]);
    await createAll(items);
    await Promise.all([waitForQueue("rate"), waitForQueue("key-rate")]);

    const rate = await claimsOf("rate");
    expect(rate).toHaveLength(25);
    const window = maxStartsInWindow(
      rate.map((c) => c.startedAt),
      1000,
    );
    expect(window.count, `starts in [${window.from}, +1000)`).toBeLessThanOrEqual(5);

    const keyRate = await claimsOf("key-rate");
    expect(keyRate).toHaveLength(17);
    for (const [key, ofKey] of groupBy(keyRate, (c) => c.concurrencyKey ?? undefined)) {
      const busiest = maxStartsInWindow(
        ofKey.map((c) => c.startedAt),
        1000,
      );
      expect(busiest.count, `key ${key}: starts in [${busiest.from}, +1000)`).toBeLessThanOrEqual(2);
    }
    // Every claim ran, and its handler started after it: the record and the events tell one story.
    for (const queue of ["rate", "key-rate"]) {
      const claims = new Map((await claimsOf(queue)).map((c) => [`${c.jobId}#${c.attempt}`, c]));
      const attempts = await attemptsOf(queue);
      expect(attempts).toHaveLength(claims.size);
      for (const attempt of attempts)
        expect(claims.get(`${attempt.jobId}#${attempt.attempt}`)!.startedAt).toBeLessThanOrEqual(
          attempt.startedAt,
        );
    }
  });

  it("starts a new key's job at once while another key has 1,000 waiting at its limit", async () => {
    const queue = "fair";
    await settings(queue, { concurrency: 4, perKeyConcurrency: 1 });
    // Written through the job store, as creates write them (a row written by hand would miss what
    // the claim relies on), and paused meanwhile so that no claim sees half of them.
    await setPaused(queue, true);
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          server.runtime.store.insertJob(
            {
              id: uuidv7(),
              userId: USER,
              type: TYPE,
              resultType: "json",
              payload: { ms: 300 },
              maxAttempts: 10,
              timeoutMs: 600_000,
              queue,
              concurrencyKey: "A",
            },
            new Date(),
          ),
        ),
      );
    }
    await setPaused(queue, false);
    // Key A is at its limit once its first job runs.
    const deadline = Date.now() + 15_000;
    while ((await attemptsOf(queue)).length === 0) {
      if (Date.now() > deadline) throw new Error("key A never started");
      await delay(20);
    }
    for (const key of ["B", "C", "D"]) {
      const asked = Date.now();
      const job = await create({ queue, concurrencyKey: key }, { ms: 10 });
      let attempt: RecordedAttempt | undefined;
      while (!(attempt = (await attemptsOf(queue)).find((a) => a.jobId === job.id))) {
        if (Date.now() > asked + 10_000) throw new Error(`key ${key}'s job never started`);
        await delay(10);
      }
      expect(attempt.startedAt - asked, `key ${key} waited`).toBeLessThan(2000);
    }
    const attempts = await attemptsOf(queue);
    expect(attempts.filter((a) => a.key === "A").length).toBeLessThan(100);
    expectAtMostAtOnce(
      attempts.filter((a) => a.key === "A"),
      1,
      "key A",
    );
    await server.prisma.job.updateMany({
      where: { userId: USER, queue, status: "pending" },
      data: { status: "cancelled" },
    });
  });

  it("starts nothing of a paused queue once the pause has answered, until resume; then all run", async () => {
    const queue = "pause";
    /** A job written now, far in the future: its event's id marks this moment in commit order. */
    const marker = async () => {
      const row = await server.runtime.store.insertJob(
        {
          id: uuidv7(),
          userId: USER,
          type: TYPE,
          resultType: "json",
          payload: {},
          maxAttempts: 1,
          timeoutMs: 1000,
          queue: "markers",
          runAt: new Date(Date.now() + 3_600_000),
        },
        new Date(),
      );
      const event = await server.prisma.jobEvent.findFirstOrThrow({ where: { jobId: row.id } });
      return Number(event.id);
    };
    // Long enough that the jobs running when the pause answers are still running: they must go on.
    await createAll(Array.from({ length: 40 }, () => [{ queue }, { ms: 500 }] as [CreateOptions, Payload]));
    const deadline = Date.now() + 15_000;
    while ((await attemptsOf(queue)).length < 5) {
      if (Date.now() > deadline) throw new Error("the queue never started");
      await delay(10);
    }
    await setPaused(queue, true);
    const pausedAt = Date.now();
    const afterPause = await marker();
    // Jobs can still be created in a paused queue; they wait.
    const createdWhilePaused = await createAll(
      Array.from({ length: 3 }, () => [{ queue }, { ms: 10 }] as [CreateOptions, Payload]),
    );
    await delay(1500);
    const beforeResume = await marker();
    const resumedAt = Date.now();
    await setPaused(queue, false);
    await waitForQueue(queue);

    const claims = await claimsOf(queue);
    expect(claims).toHaveLength(43);
    // Started while paused: a claim that committed after the pause answered and before the resume
    // began, by commit order (its event lies between the markers written just after the pause and
    // just before the resume), or by its time (read once the claim holds its locks, so a time inside
    // the pause is a claim that ran inside it). The second also guards finding F1 (fixed in 1a5726b):
    // claims used to stamp the time their worker asked, before waiting for the write lock, and jobs
    // that started after a resume showed a startedAt inside the pause (321 ms early on SQLite).
    const duringPause = claims.filter(
      (c) =>
        (c.eventId > afterPause && c.eventId < beforeResume) ||
        (c.startedAt > pausedAt && c.startedAt < resumedAt),
    );
    expect(duringPause, JSON.stringify({ pausedAt, resumedAt, afterPause, beforeResume })).toEqual([]);
    // Not vacuous: some jobs were still waiting at the pause, and they started soon after resume.
    expect(claims.filter((c) => c.eventId > beforeResume).length).toBeGreaterThanOrEqual(3);
    const attempts = await attemptsOf(queue);
    const firstAfter = Math.min(...attempts.filter((a) => a.startedAt >= resumedAt).map((a) => a.startedAt));
    expect(firstAfter - resumedAt).toBeLessThan(2000);
    // Running jobs went on: some attempt ended, completed, while the queue was paused.
    expect(
      attempts.some((a) => a.endedAt > pausedAt && a.endedAt < resumedAt && a.outcome === "completed"),
    ).toBe(true);
    const jobs = await jobsOf(queue);
    for (const job of createdWhilePaused) expect(jobs.get(job.id)!.status).toBe("completed");
  });

  it("starts delayed jobs no earlier than runAt, and soon after, in open and limited queues", async () => {
    const base = Date.now();
    const jobs = [
      await create({ queue: "delayed", delayMs: 800 }, { ms: 10 }),
      await create({ queue: "delayed", delayMs: 1200 }, { ms: 10 }),
      await create({ queue: "delayed", runAt: new Date(base + 1000).toISOString() }, { ms: 10 }),
      await create({ queue: "delayed", runAt: new Date(base + 1500).toISOString(), priority: 5 }, { ms: 10 }),
    ];
    await settings("delayed-limited", { concurrency: 2, perKeyConcurrency: 1 });
    jobs.push(
      await create({ queue: "delayed-limited", delayMs: 1000, concurrencyKey: "k" }, { ms: 10 }),
      await create({ queue: "delayed-limited", delayMs: 1100 }, { ms: 10 }),
    );
    await Promise.all([waitForQueue("delayed"), waitForQueue("delayed-limited")]);
    const claims = [...(await claimsOf("delayed")), ...(await claimsOf("delayed-limited"))];
    const attempts = [...(await attemptsOf("delayed")), ...(await attemptsOf("delayed-limited"))];
    for (const job of jobs) {
      const runAt = Date.parse(job.runAt);
      expect(runAt).toBeGreaterThan(base);
      const claim = claims.find((c) => c.jobId === job.id && c.attempt === 1)!;
      const attempt = attempts.find((a) => a.jobId === job.id && a.attempt === 1)!;
      expect(claim.startedAt, `job ${job.id} claimed`).toBeGreaterThanOrEqual(runAt);
      expect(attempt.startedAt, `job ${job.id} started`).toBeGreaterThanOrEqual(runAt);
      expect(attempt.startedAt - runAt, `job ${job.id} started late`).toBeLessThan(1500);
    }
  });

  it("answers 20 racing creates with one dedupeKey with one 201 and nineteen deduplicated 200s", async () => {
    const queue = "dedupe";
    // Paused, so that no worker takes the job between two creates (a running job frees its key).
    await setPaused(queue, true);
    const race = (body: object) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          server.request("/v1/jobs", postJson({ type: TYPE, queue, payload: { ms: i }, ...body }, token)),
        ),
      );
    for (const body of [{ dedupeKey: "skip" }, { dedupeKey: "replace", dedupe: "replace" }]) {
      const responses = await race(body);
      expect(responses.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
      const ids = new Set(responses.map((r) => JobResponseSchema.parse(r.body).data.id));
      expect(ids.size).toBe(1);
      for (const response of responses.filter((r) => r.status === 200)) {
        expect(response.headers.get("deduplicated")).toBe("true");
        expect(response.body).toMatchObject({ success: true, message: "Job deduplicated" });
      }
      const pending = await server.prisma.job.findMany({
        where: { userId: USER, queue, dedupeKey: body.dedupeKey, status: "pending" },
      });
      expect(pending.map((row) => row.id)).toEqual([...ids]);
    }
    await setPaused(queue, false);
    await waitForQueue(queue);
    const attempts = await attemptsOf(queue);
    expect(attempts).toHaveLength(2);
  });

  it("frees the slot of a worker SIGKILLed while holding it once its lease ends; no overlap, all complete", async () => {
    const queue = "crash";
    // Workers with a short lease, alone: the long-lease ones drain and leave.
    for (const { child } of workers) child.kill("SIGTERM");
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0]);
    // Short, to keep the test short, yet three renewals long: a busy moment does not lose it.
    const shortLease = { ...GENERAL_WORKER, WORKER_CONCURRENCY: "2", WORKER_LEASE_MS: "2400" };
    const survivors = await Promise.all([1, 2].map(() => startWorker(shortLease)));
    await settings(queue, { concurrency: 1 });

    // Its first attempt would run for a minute: surely still running when its worker is killed.
    const held = await create({ queue }, { ms: 50, firstAttemptMs: 60_000 });
    let victim: WorkerProcess | undefined;
    const deadline = Date.now() + 15_000;
    while (!victim) {
      const attempt = (await attemptsOf(queue)).find((a) => a.jobId === held.id);
      victim = attempt && survivors.find((w) => String(w.child.pid) === attempt.worker);
      if (Date.now() > deadline) throw new Error("the held job never started");
      await delay(10);
    }
    const others = await createAll(
      Array.from({ length: 4 }, () => [{ queue }, { ms: 50 }] as [CreateOptions, Payload]),
    );
    await delay(300);
    victim.child.kill("SIGKILL");
    expect(await victim.exited).toBeNull();
    // Nothing renews the lease any more: where it ends is where the slot may be given again.
    const atKill = await server.prisma.job.findUniqueOrThrow({ where: { id: held.id } });
    // The premise: the victim still held the job's first attempt when it died (on a machine so busy
    // that it missed its renewals for a whole lease, it would not have, and this says so).
    expect(atKill, "the victim no longer held the job when killed").toMatchObject({
      status: "running",
      attempts: 1,
      leaseOwner: expect.stringContaining(`:${victim.child.pid}:`) as unknown,
    });
    const leaseEnd = atKill.leaseExpiresAt!.getTime();
    await waitForQueue(queue, 30_000);

    const attempts = await attemptsOf(queue, (jobId, attempt) =>
      jobId === held.id && attempt === 1 ? leaseEnd : undefined,
    );
    expect(attempts.every((a) => a.endedAt !== Infinity)).toBe(true);
    expectAtMostAtOnce(attempts, 1, "the queue");
    const rows = await jobsOf(queue);
    expect(rows.get(held.id)).toMatchObject({ status: "completed", attempts: 2 });
    for (const job of others) expect(rows.get(job.id)).toMatchObject({ status: "completed", attempts: 1 });
    // Freed after the lease, and soon after it.
    const next = Math.min(
      ...attempts.filter((a) => !(a.jobId === held.id && a.attempt === 1)).map((a) => a.startedAt),
    );
    expect(next).toBeGreaterThanOrEqual(leaseEnd);
    expect(next - leaseEnd).toBeLessThan(2000);
    for (const worker of survivors.filter((w) => w !== victim)) worker.child.kill("SIGTERM");
  });
});
