import { setTimeout as delay } from "node:timers/promises";
import { isEnded } from "@jobdeck/contract";
import { describe, expect } from "vitest";
import type { JobStore } from "../src/db/job-store/index.js";
import type { JobRow } from "../src/db/rows.js";
import { PermanentJobError, RetryableJobError } from "../src/job-types/types.js";
import { testProviders } from "./support/databases.js";
import { startTestWorker, test } from "./support/fixtures.js";
import { endlessType, failingType, gatedType, quickType, stubbornType } from "./support/job-types.js";
import type { TestPrisma } from "./support/prisma.js";
import { gate, until } from "./support/wait.js";

const providers = await testProviders();

describe.each(providers)("the worker, against a real %s database", (provider) => {
  test.override({ provider });

  let seq = 0;
  const newJob = (type: string, maxAttempts = 3, timeoutMs = 10_000) => ({
    id: `0190c1e0-0000-7000-8000-${String(++seq).padStart(12, "0")}`,
    userId: "u",
    type,
    resultType: "json",
    payload: {},
    maxAttempts,
    timeoutMs,
  });

  test("claims the oldest runnable job first, by runAt then id, and nothing whose runAt is ahead", async ({
    store,
    prisma,
  }) => {
    const now = Date.now();
    const [a, b, c, later] = [
      await store.insertJob(newJob("t"), new Date()),
      await store.insertJob(newJob("t"), new Date()),
      await store.insertJob(newJob("t"), new Date()),
      await store.insertJob(newJob("t"), new Date()),
    ];
    // c became runnable first, a and b at the same instant (id decides), `later` is not runnable yet.
    await prisma.job.update({ where: { id: c.id }, data: { runAt: new Date(now - 3000) } });
    await prisma.job.updateMany({
      where: { id: { in: [a.id, b.id] } },
      data: { runAt: new Date(now - 1000) },
    });
    await prisma.job.update({ where: { id: later.id }, data: { runAt: new Date(now + 60_000) } });
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

  test("fences every write on the attempt: a worker whose lease was taken writes nothing", async ({
    store,
    prisma,
  }) => {
    const job = await store.insertJob(newJob("t"), new Date());
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
    const eventsBefore = await prisma.jobEvent.count();
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
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "running",
      attempts: 2,
      leaseOwner: "B",
      result: null,
    });
    expect(await prisma.jobArtifact.count()).toBe(0);
    expect(await prisma.jobEvent.count()).toBe(eventsBefore);

    const done = await store.settleAttempt(
      { id: job.id, attempts: 2, leaseOwner: "B" },
      { status: "completed", result: "B" },
      new Date(),
    );
    expect(done).toMatchObject({ status: "completed", result: '"B"', attempts: 2, leaseOwner: null });
  });

  test("a running worker that loses its lease stops, and its late result is not written", async ({
    store,
    prisma,
    startWorker,
  }) => {
    const hold = gate();
    const started = gate();
    const lost: string[] = [];
    const worker = startWorker(
      [gatedType("held", { started: started.open, release: hold.promise, result: "from A" })],
      { leaseMs: 900, abortGraceMs: 60_000, hooks: { onLeaseLost: (id) => lost.push(id) } },
    );
    const job = await store.insertJob(newJob("held"), new Date());
    try {
      await started.promise;
      // Another worker takes the job over, as if this one had stalled past its lease (a reaper and a
      // claim elsewhere; done in one write here, so that this worker cannot claim it back first).
      await prisma.job.update({
        where: { id: job.id },
        data: { attempts: 2, leaseOwner: "B", leaseExpiresAt: new Date(Date.now() + 60_000) },
      });
      // Its next renewal tells the first worker, which fires its handler's signal.
      await until(() => Promise.resolve(lost.length > 0));
    } finally {
      hold.open();
    }
    await until(() => Promise.resolve(worker.activeJobIds().length === 0));
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "running",
      attempts: 2,
      leaseOwner: "B",
      result: null,
    });
    expect(worker.counters).toMatchObject({ completed: 0, leaseLosses: 1 });
    expect(lost).toEqual([job.id]);
  });

  /** The job's row once it has ended. */
  const ended = (prisma: TestPrisma, id: string) =>
    until(async () => {
      const current = await prisma.job.findUniqueOrThrow({ where: { id } });
      return isEnded(current.status) && current;
    });

  test("retries with exponential, jittered backoff until maxAttempts, then fails saying what happened", async ({
    store,
    prisma,
    startWorker,
  }) => {
    const failures: JobRow[] = [];
    const starts: JobRow[] = [];
    startWorker(
      [
        failingType("flaky", () => new RetryableJobError("UPSTREAM_DOWN", "the upstream is down"), {
          maxAttempts: 3,
        }),
      ],
      {
        baseMs: 100,
        hooks: { onJobFailed: (job) => failures.push(job), onJobStarted: (job) => starts.push(job) },
      },
    );
    const job = await store.insertJob(newJob("flaky"), new Date());
    const final = await ended(prisma, job.id);
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
      const wait = failure.runAt - failure.updatedAt;
      const full = 100 * 2 ** index;
      expect(wait).toBeGreaterThanOrEqual(full / 2);
      expect(wait).toBeLessThanOrEqual(full);
      // The next attempt starts no earlier than the backoff allows.
      expect(starts[index + 1]!.startedAt!).toBeGreaterThanOrEqual(failure.runAt);
    });
    expect(starts.map((s) => s.attempts)).toEqual([1, 2, 3]);
  });

  test("counts a timeout as a failed attempt, also when the handler ignores its signal", async ({
    store,
    prisma,
    startWorker,
  }) => {
    startWorker(
      [
        endlessType("slow", { maxAttempts: 2, timeoutMs: 50 }),
        stubbornType("stubborn", 1_000, "too late", { maxAttempts: 1, timeoutMs: 50 }),
      ],
      { abortGraceMs: 50 },
    );
    const slow = await store.insertJob(newJob("slow", 2, 50), new Date());
    const stubborn = await store.insertJob(newJob("stubborn", 1, 50), new Date());
    expect(await ended(prisma, slow.id)).toMatchObject({
      status: "failed",
      attempts: 2,
      error: { code: "TIMEOUT", message: "timed out after 50 ms (attempt 2 of 2)" },
    });
    expect(await ended(prisma, stubborn.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "TIMEOUT" },
    });
  });

  test("fails at once on a permanent error; a plain error is retried as HANDLER_ERROR", async ({
    store,
    prisma,
    startWorker,
  }) => {
    startWorker([
      failingType("permanent", () => new PermanentJobError("BAD_INPUT", "cannot work with this")),
      failingType("duck", () =>
        Object.assign(new Error("from a plain module"), { permanent: true, code: "PLAIN" }),
      ),
      failingType("plain", () => new Error("boom")),
    ]);
    const [permanent, duck, plain] = [
      await store.insertJob(newJob("permanent"), new Date()),
      await store.insertJob(newJob("duck"), new Date()),
      await store.insertJob(newJob("plain"), new Date()),
    ];
    expect(await ended(prisma, permanent.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "BAD_INPUT" },
    });
    expect(await ended(prisma, duck.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "PLAIN" },
    });
    expect(await ended(prisma, plain.id)).toMatchObject({
      status: "failed",
      attempts: 3,
      error: { code: "HANDLER_ERROR", message: "boom (attempt 3 of 3)" },
    });
  });

  test("reaps jobs whose worker vanished: retried, failed when out of attempts, or cancelled when asked", async ({
    store,
    prisma,
    startWorker,
  }) => {
    const retry = await store.insertJob(newJob("quick", 3), new Date());
    const exhausted = await store.insertJob(newJob("quick", 1), new Date());
    const cancel = await store.insertJob(newJob("quick", 3), new Date());
    // A worker that claims and then never renews: its leases run out at once.
    await store.claimJobs({ owner: "ghost", types: ["quick"], limit: 3, leaseMs: 1, now: new Date() });
    await store.requestCancel({ userId: "u", jobId: cancel.id, now: new Date() });
    await delay(5);
    startWorker([quickType("quick", "ok")]);
    expect(await ended(prisma, retry.id)).toMatchObject({ status: "completed", attempts: 2, result: "ok" });
    expect(await ended(prisma, exhausted.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "LEASE_EXPIRED" },
    });
    expect(await ended(prisma, cancel.id)).toMatchObject({ status: "cancelled", attempts: 1 });
  });

  test("cancels a running job through its handler's signal", async ({ store, prisma, startWorker }) => {
    const aborted: string[] = [];
    startWorker([endlessType("long", {}, (cause) => aborted.push(cause))]);
    const job = await store.insertJob(newJob("long"), new Date());
    await until(
      async () => (await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status === "running",
    );
    expect(await store.requestCancel({ userId: "u", jobId: job.id, now: new Date() })).toMatchObject({
      kind: "requested",
    });
    expect(await ended(prisma, job.id)).toMatchObject({ status: "cancelled", attempts: 1, error: null });
    expect(aborted).toEqual(["cancelled"]);
  });

  test("on stop, lets jobs finish within the grace period and hands the rest back uncounted", async ({
    store,
    prisma,
    startWorker,
  }) => {
    const finishing = gate();
    const worker = startWorker(
      [gatedType("finishing", { release: finishing.promise, result: "finished" }), endlessType("endless")],
      { concurrency: 2 },
    );
    const quick = await store.insertJob(newJob("finishing"), new Date());
    const endless = await store.insertJob(newJob("endless"), new Date());
    await until(() => Promise.resolve(worker.activeJobIds().length === 2));
    const stopped = worker.stop(300);
    await delay(50);
    finishing.open();
    await stopped;
    const row = (id: string) => prisma.job.findUniqueOrThrow({ where: { id } });
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

  test("claims once when a job's handler ends, and again when outcomes in writing had held its slot back", async ({
    db,
    store,
    prisma,
  }) => {
    let claims = 0;
    let isSettleHeld = false;
    const settling: (() => void)[] = [];
    const watched: JobStore = {
      ...store,
      claimJobs: (input) => {
        claims++;
        return store.claimJobs(input);
      },
      settleAttempt: async (...args) => {
        if (isSettleHeld) await new Promise<void>((resolve) => settling.push(resolve));
        return store.settleAttempt(...args);
      },
    };
    const release = gate();
    let isStarted = false;
    // No poll within the test: every claim below is one the worker made of its own accord.
    const worker = startTestWorker(
      { db, store: watched },
      [
        gatedType("gated", { started: () => (isStarted = true), release: release.promise }),
        quickType("quick"),
      ],
      { concurrency: 1, pollMs: 600_000 },
    );
    const status = async (id: string) => (await prisma.job.findUniqueOrThrow({ where: { id } })).status;
    try {
      const first = await store.insertJob(newJob("gated"), new Date());
      await until(() => Promise.resolve(isStarted));
      claims = 0;
      release.open();
      await until(async () => (await status(first.id)) === "completed");
      await delay(200);
      // The slot freed by the handler's end looked once (and found nothing); writing the outcome
      // did not look again.
      expect(claims).toBe(1);

      // Two outcomes in writing hold the one slot back; once they are written, it claims at once.
      isSettleHeld = true;
      const [a, b, c] = [
        await store.insertJob(newJob("quick"), new Date()),
        await store.insertJob(newJob("quick"), new Date()),
        await store.insertJob(newJob("quick"), new Date()),
      ];
      await until(() => Promise.resolve(settling.length === 2));
      await delay(100);
      expect(await status(c.id)).toBe("pending");
      isSettleHeld = false;
      for (const resolve of settling) resolve();
      await until(async () => (await status(c.id)) === "completed", 10_000);
      for (const job of [a, b]) expect(await status(job.id)).toBe("completed");
    } finally {
      await worker.stop(0);
    }
  });

  test("ends a job whose cancellation was asked for instead of handing it back or retrying it", async ({
    store,
    prisma,
    startWorker,
  }) => {
    const worker = startWorker([endlessType("endless")]);
    const job = await store.insertJob(newJob("endless"), new Date());
    const row = () => prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    await until(async () => (await row()).status === "running");
    // Recorded in the database but not yet seen by the worker (no signal, no renewal yet).
    await prisma.job.update({ where: { id: job.id }, data: { cancelRequestedAt: new Date() } });
    await worker.stop(0);
    const stopped = await row();
    expect(stopped).toMatchObject({ status: "cancelled", attempts: 1, leaseOwner: null });
    expect(stopped.finishedAt).not.toBeNull();
    expect(worker.counters).toMatchObject({ cancelled: 1, handedBack: 0 });
  });
});
