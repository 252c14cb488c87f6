import { setTimeout as delay } from "node:timers/promises";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openDatabase, type Database } from "../src/db/database.js";
import { openJobStore, type JobRow, type JobStore } from "../src/db/job-store/index.js";
import { openSignals, type Signals } from "../src/db/signals.js";
import { createJobTypeRegistry } from "../src/job-types/registry.js";
import {
  defineJobType,
  PermanentJobError,
  RetryableJobError,
  type JobTypeDefinition,
} from "../src/job-types/types.js";
import type { WorkerHooks } from "../src/worker/hooks.js";
import { createWorker, type Worker } from "../src/worker/worker.js";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";

const providers = await testProviders();
const logger = pino({ level: "silent" });
const anyPayload = z.object({}).passthrough();

/** A promise with its resolve function, to hold a handler until the test lets it go. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function until<T>(read: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await delay(10);
  }
}

describe.each(providers)("the worker, against a real %s database", (provider) => {
  let database: TestDatabase;
  let db: Database;
  let signals: Signals;
  let store: JobStore;
  let workers: Worker[] = [];

  const setUp = async () => {
    database = await createTestDatabase(provider);
    db = await openDatabase(database.url);
    signals = openSignals(db, logger);
    store = openJobStore(db, { signals, logger });
  };
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop(0)));
    workers = [];
    await store.close();
    await signals.close();
    await db.close();
    await database.drop();
  });

  const start = (
    types: JobTypeDefinition<unknown>[],
    options: {
      concurrency?: number;
      leaseMs?: number;
      baseMs?: number;
      hooks?: WorkerHooks;
      abortGraceMs?: number;
    } = {},
  ) => {
    const worker = createWorker({
      db,
      store,
      signals,
      logger,
      registry: createJobTypeRegistry(types),
      concurrency: options.concurrency ?? 2,
      leaseMs: options.leaseMs ?? 5_000,
      pollMs: 20,
      backoff: { baseMs: options.baseMs ?? 10, maxMs: 10_000 },
      ...(options.hooks ? { hooks: options.hooks } : {}),
      ...(options.abortGraceMs !== undefined ? { abortGraceMs: options.abortGraceMs } : {}),
    });
    workers.push(worker);
    worker.start();
    return worker;
  };

  let seq = 0;
  const insert = (type: string, maxAttempts = 3, timeoutMs = 10_000) =>
    store.insertJob(
      {
        id: `0190c1e0-0000-7000-8000-${String(++seq).padStart(12, "0")}`,
        userId: "u",
        type,
        resultType: "json",
        payload: {},
        maxAttempts,
        timeoutMs,
      },
      new Date(),
    );
  const row = (id: string) => db.prisma.job.findUniqueOrThrow({ where: { id } });
  const ended = (id: string) =>
    until(async () => {
      const current = await row(id);
      return ["completed", "failed", "cancelled"].includes(current.status) && current;
    });

  it("claims the oldest runnable job first, by runAt then id, and nothing whose runAt is ahead", async () => {
    await setUp();
    const now = Date.now();
    const a = await insert("t");
    const b = await insert("t");
    const c = await insert("t");
    const later = await insert("t");
    // c became runnable first, a and b at the same instant (id decides), `later` is not runnable yet.
    await db.prisma.job.update({ where: { id: c.id }, data: { runAt: new Date(now - 3000) } });
    await db.prisma.job.updateMany({
      where: { id: { in: [a.id, b.id] } },
      data: { runAt: new Date(now - 1000) },
    });
    await db.prisma.job.update({ where: { id: later.id }, data: { runAt: new Date(now + 60_000) } });
    const claimed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const rows = await store.claimJobs({
        owner: "w",
        types: ["t"],
        limit: 1,
        leaseMs: 5000,
        now: new Date(),
      });
      claimed.push(...rows.map((r) => r.id));
    }
    expect(claimed).toEqual([c.id, a.id, b.id]);
  });

  it("fences every write on the attempt: a worker whose lease was taken writes nothing", async () => {
    await setUp();
    const job = await insert("t");
    const [a] = await store.claimJobs({ owner: "A", types: ["t"], limit: 1, leaseMs: 1, now: new Date() });
    expect(a).toMatchObject({ status: "running", attempts: 1, leaseOwner: "A" });
    await delay(5);
    expect((await store.reapExpiredLeases(new Date())).map((r) => [r.id, r.status])).toEqual([
      [job.id, "pending"],
    ]);
    const [b] = await store.claimJobs({
      owner: "B",
      types: ["t"],
      limit: 1,
      leaseMs: 60_000,
      now: new Date(),
    });
    expect(b).toMatchObject({ attempts: 2, leaseOwner: "B" });

    const fenceA = { id: job.id, attempts: 1, leaseOwner: "A" };
    const eventsBefore = await db.prisma.jobEvent.count();
    expect(await store.renewLease(fenceA, new Date(Date.now() + 60_000))).toBeNull();
    const artifact = { contentType: "image/png", bytes: Buffer.from("A") };
    expect(
      await store.settleAttempt(fenceA, { status: "completed", result: "A", artifact }, new Date()),
    ).toBeNull();
    expect(
      await store.settleAttempt(fenceA, { status: "failed", error: { code: "X", message: "A" } }, new Date()),
    ).toBeNull();
    // Same owner and id but an older attempt number: still refused.
    expect(
      await store.settleAttempt({ ...fenceA, leaseOwner: "B" }, { status: "cancelled" }, new Date()),
    ).toBeNull();
    expect(await row(job.id)).toMatchObject({
      status: "running",
      attempts: 2,
      leaseOwner: "B",
      result: null,
    });
    expect(await db.prisma.jobArtifact.count()).toBe(0);
    expect(await db.prisma.jobEvent.count()).toBe(eventsBefore);

    const done = await store.settleAttempt(
      { id: job.id, attempts: 2, leaseOwner: "B" },
      { status: "completed", result: "B" },
      new Date(),
    );
    expect(done).toMatchObject({ status: "completed", result: "B", attempts: 2, leaseOwner: null });
  });

  it("a running worker that loses its lease stops, and its late result is not written", async () => {
    await setUp();
    const hold = gate();
    const started = gate();
    const lost: string[] = [];
    const worker = start(
      [
        defineJobType({
          type: "held",
          description: "waits for the test",
          resultType: "json",
          payloadSchema: anyPayload,
          maxAttempts: 3,
          timeoutMs: 60_000,
          handler: async () => {
            started.open();
            await hold.promise;
            return { result: "from A" };
          },
        }),
      ],
      { leaseMs: 900, abortGraceMs: 60_000, hooks: { onLeaseLost: (id) => lost.push(id) } },
    );
    const job = await insert("held");
    try {
      await started.promise;
      // Another worker takes the job over, as if this one had stalled past its lease (a reaper and a
      // claim elsewhere; done in one write here, so that this worker cannot claim it back first).
      await db.prisma.job.update({
        where: { id: job.id },
        data: { attempts: 2, leaseOwner: "B", leaseExpiresAt: new Date(Date.now() + 60_000) },
      });
      // Its next renewal tells the first worker, which fires its handler's signal.
      await until(() => Promise.resolve(lost.length > 0));
    } finally {
      hold.open();
    }
    await until(() => Promise.resolve(worker.activeJobIds().length === 0));
    expect(await row(job.id)).toMatchObject({
      status: "running",
      attempts: 2,
      leaseOwner: "B",
      result: null,
    });
    expect(worker.counters).toMatchObject({ completed: 0, leaseLosses: 1 });
    expect(lost).toEqual([job.id]);
  });

  it("retries with exponential, jittered backoff until maxAttempts, then fails saying what happened", async () => {
    await setUp();
    const failures: JobRow[] = [];
    const starts: JobRow[] = [];
    start(
      [
        defineJobType({
          type: "flaky",
          description: "always fails",
          resultType: "json",
          payloadSchema: anyPayload,
          maxAttempts: 3,
          timeoutMs: 10_000,
          handler: () => Promise.reject(new RetryableJobError("UPSTREAM_DOWN", "the upstream is down")),
        }),
      ],
      {
        baseMs: 100,
        hooks: { onJobFailed: (job) => failures.push(job), onJobStarted: (job) => starts.push(job) },
      },
    );
    const job = await insert("flaky");
    const final = await ended(job.id);
    // The row is failed at COMMIT; the worker's hook runs once its settle batch has returned, a
    // moment later.
    await until(() => Promise.resolve(failures.length === 3));
    expect(final).toMatchObject({
      status: "failed",
      attempts: 3,
      error: { code: "UPSTREAM_DOWN", message: "the upstream is down (attempt 3 of 3)" },
      leaseOwner: null,
    });
    expect(failures.map((f) => f.status)).toEqual(["pending", "pending", "failed"]);
    // Attempt n waits base·2^(n−1), of which half is fixed and half random.
    failures.slice(0, 2).forEach((failure, index) => {
      const wait = failure.runAt.getTime() - failure.updatedAt.getTime();
      const full = 100 * 2 ** index;
      expect(wait).toBeGreaterThanOrEqual(full / 2);
      expect(wait).toBeLessThanOrEqual(full);
      // The next attempt starts no earlier than the backoff allows.
      expect(starts[index + 1]!.startedAt!.getTime()).toBeGreaterThanOrEqual(failure.runAt.getTime());
    });
    expect(starts.map((s) => s.attempts)).toEqual([1, 2, 3]);
  });

  it("counts a timeout as a failed attempt, also when the handler ignores its signal", async () => {
    await setUp();
    start(
      [
        defineJobType({
          type: "slow",
          description: "honours its signal",
          resultType: "json",
          payloadSchema: anyPayload,
          maxAttempts: 2,
          timeoutMs: 50,
          handler: async (_payload, { signal }) => {
            await delay(60_000, undefined, { signal });
            return { result: null };
          },
        }),
        defineJobType({
          type: "stubborn",
          description: "ignores its signal",
          resultType: "json",
          payloadSchema: anyPayload,
          maxAttempts: 1,
          timeoutMs: 50,
          handler: async () => {
            await delay(1_000);
            return { result: "too late" };
          },
        }),
      ],
      { abortGraceMs: 50 },
    );
    const slow = await insert("slow", 2, 50);
    const stubborn = await insert("stubborn", 1, 50);
    expect(await ended(slow.id)).toMatchObject({
      status: "failed",
      attempts: 2,
      error: { code: "TIMEOUT", message: "timed out after 50 ms (attempt 2 of 2)" },
    });
    expect(await ended(stubborn.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "TIMEOUT" },
    });
  });

  it("fails at once on a permanent error; a plain error is retried as HANDLER_ERROR", async () => {
    await setUp();
    const type = (name: string, error: () => Error) =>
      defineJobType({
        type: name,
        description: name,
        resultType: "json",
        payloadSchema: anyPayload,
        maxAttempts: 3,
        timeoutMs: 10_000,
        handler: () => Promise.reject(error()),
      });
    start([
      type("permanent", () => new PermanentJobError("BAD_INPUT", "cannot work with this")),
      type("duck", () => Object.assign(new Error("from a plain module"), { permanent: true, code: "PLAIN" })),
      type("plain", () => new Error("boom")),
    ]);
    const [permanent, duck, plain] = [await insert("permanent"), await insert("duck"), await insert("plain")];
    expect(await ended(permanent.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "BAD_INPUT" },
    });
    expect(await ended(duck.id)).toMatchObject({ status: "failed", attempts: 1, error: { code: "PLAIN" } });
    expect(await ended(plain.id)).toMatchObject({
      status: "failed",
      attempts: 3,
      error: { code: "HANDLER_ERROR", message: "boom (attempt 3 of 3)" },
    });
  });

  it("reaps jobs whose worker vanished: retried, failed when out of attempts, or cancelled when asked", async () => {
    await setUp();
    const retry = await insert("quick", 3);
    const exhausted = await insert("quick", 1);
    const cancel = await insert("quick", 3);
    // A worker that claims and then never renews: its leases run out at once.
    await store.claimJobs({ owner: "ghost", types: ["quick"], limit: 3, leaseMs: 1, now: new Date() });
    await store.requestCancel({ userId: "u", jobId: cancel.id, now: new Date() });
    await delay(5);
    start([
      defineJobType({
        type: "quick",
        description: "done at once",
        resultType: "json",
        payloadSchema: anyPayload,
        maxAttempts: 3,
        timeoutMs: 10_000,
        handler: () => Promise.resolve({ result: "ok" }),
      }),
    ]);
    expect(await ended(retry.id)).toMatchObject({ status: "completed", attempts: 2, result: "ok" });
    expect(await ended(exhausted.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "LEASE_EXPIRED" },
    });
    expect(await ended(cancel.id)).toMatchObject({ status: "cancelled", attempts: 1 });
  });

  it("cancels a running job through its handler's signal", async () => {
    await setUp();
    const aborted: string[] = [];
    start([
      defineJobType({
        type: "long",
        description: "runs until stopped",
        resultType: "json",
        payloadSchema: anyPayload,
        maxAttempts: 3,
        timeoutMs: 60_000,
        handler: async (_payload, { signal }) => {
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
          aborted.push(String((signal.reason as { abortCause?: string }).abortCause));
          throw signal.reason;
        },
      }),
    ]);
    const job = await insert("long");
    await until(async () => (await row(job.id)).status === "running");
    expect(await store.requestCancel({ userId: "u", jobId: job.id, now: new Date() })).toMatchObject({
      kind: "requested",
    });
    expect(await ended(job.id)).toMatchObject({ status: "cancelled", attempts: 1, error: null });
    expect(aborted).toEqual(["cancelled"]);
  });

  it("on stop, lets jobs finish within the grace period and hands the rest back uncounted", async () => {
    await setUp();
    const finishing = gate();
    const worker = start(
      [
        defineJobType({
          type: "finishing",
          description: "finishes when the test says",
          resultType: "json",
          payloadSchema: anyPayload,
          maxAttempts: 3,
          timeoutMs: 60_000,
          handler: async () => {
            await finishing.promise;
            return { result: "finished" };
          },
        }),
        defineJobType({
          type: "endless",
          description: "runs until stopped",
          resultType: "json",
          payloadSchema: anyPayload,
          maxAttempts: 3,
          timeoutMs: 60_000,
          handler: async (_payload, { signal }) => {
            await delay(600_000, undefined, { signal });
            return { result: null };
          },
        }),
      ],
      { concurrency: 2 },
    );
    const [quick, endless] = [await insert("finishing"), await insert("endless")];
    await until(() => Promise.resolve(worker.activeJobIds().length === 2));
    const stopped = worker.stop(300);
    await delay(50);
    finishing.open();
    await stopped;
    expect(await row(quick.id)).toMatchObject({ status: "completed", result: "finished" });
    expect(await row(endless.id)).toMatchObject({
      status: "pending",
      attempts: 0,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(worker.counters).toMatchObject({ completed: 1, handedBack: 1 });
    // Stopped means stopped: nothing is claimed any more.
    await delay(100);
    expect((await row(endless.id)).status).toBe("pending");
  });

  it("ends a job whose cancellation was asked for instead of handing it back or retrying it", async () => {
    await setUp();
    const worker = start([
      defineJobType({
        type: "endless",
        description: "runs until stopped",
        resultType: "json",
        payloadSchema: anyPayload,
        maxAttempts: 3,
        timeoutMs: 60_000,
        handler: async (_payload, { signal }) => {
          await delay(600_000, undefined, { signal });
          return { result: null };
        },
      }),
    ]);
    const job = await insert("endless");
    await until(async () => (await row(job.id)).status === "running");
    // Recorded in the database but not yet seen by the worker (no signal, no renewal yet).
    await db.prisma.job.update({ where: { id: job.id }, data: { cancelRequestedAt: new Date() } });
    await worker.stop(0);
    const stopped = await row(job.id);
    expect(stopped).toMatchObject({ status: "cancelled", attempts: 1, leaseOwner: null });
    expect(stopped.finishedAt).not.toBeNull();
    expect(worker.counters).toMatchObject({ cancelled: 1, handedBack: 0 });
  });
});
