import type { QueueSettings } from "@jobdeck/contract";
import pg from "pg";
import { describe, expect } from "vitest";
import { putQueueSettings, setQueuePaused } from "../src/db/job-store/queue-changes.js";
import type { JobRow } from "../src/db/rows.js";
import { testProviders } from "./support/databases.js";
import { jobFactory, test } from "./support/fixtures.js";

const providers = await testProviders();

const NO_LIMITS: QueueSettings = {
  concurrency: null,
  perKeyConcurrency: null,
  rateLimit: null,
  perKeyRateLimit: null,
};

/**
 * The claim under §11's flow control, on the job store itself: which jobs one claim takes, in which
 * order, and what it leaves waiting. Guarantees across processes are proven in flow-control-processes.
 */
describe.each(providers)("claims under queue limits, against a real %s database", (provider) => {
  test.override({ provider });

  const newJob = jobFactory();
  const claim = (
    store: { claimJobs: (input: never) => Promise<JobRow[]> },
    limit: number,
    now = new Date(),
  ) => store.claimJobs({ owner: "w", types: ["t"], limit, leaseMs: 60_000, now } as never);

  test("takes higher priority first, then earlier runAt, then id, and nothing before its runAt", async ({
    store,
  }) => {
    const now = Date.now();
    const low = await store.insertJob(newJob({ priority: -5, runAt: new Date(now - 5000) }), new Date());
    const highLate = await store.insertJob(newJob({ priority: 10, runAt: new Date(now - 1000) }), new Date());
    const highEarly = await store.insertJob(
      newJob({ priority: 10, runAt: new Date(now - 2000) }),
      new Date(),
    );
    const mid = await store.insertJob(newJob(), new Date());
    await store.insertJob(newJob({ priority: 100, runAt: new Date(now + 60_000) }), new Date());
    const claimed = [];
    for (let i = 0; i < 5; i++) claimed.push(...(await claim(store, 1)));
    expect(claimed.map((row) => row.id)).toEqual([highEarly.id, highLate.id, mid.id, low.id]);
  });

  test("starts nothing of a paused queue, and its jobs once resumed", async ({ store, db }) => {
    const paused = await store.insertJob(newJob({ queue: "p" }), new Date());
    const other = await store.insertJob(newJob({ queue: "q" }), new Date());
    await setQueuePaused(db, { userId: "u", name: "p", isPaused: true, now: new Date() });
    expect((await claim(store, 10)).map((row) => row.id)).toEqual([other.id]);
    expect(await claim(store, 10)).toEqual([]);
    await setQueuePaused(db, { userId: "u", name: "p", isPaused: false, now: new Date() });
    expect((await claim(store, 10)).map((row) => row.id)).toEqual([paused.id]);
  });

  test("keeps a queue within its concurrency, counting jobs running from earlier claims", async ({
    store,
    db,
  }) => {
    await putQueueSettings(db, {
      userId: "u",
      name: "c",
      settings: { ...NO_LIMITS, concurrency: 3 },
      now: new Date(),
    });
    for (let i = 0; i < 10; i++) await store.insertJob(newJob({ queue: "c" }), new Date());
    expect(await claim(store, 2)).toHaveLength(2);
    expect(await claim(store, 10)).toHaveLength(1);
    expect(await claim(store, 10)).toHaveLength(0);
  });

  test("keeps each key within perKeyConcurrency, and a busy key never holds back the others", async ({
    store,
    db,
  }) => {
    await putQueueSettings(db, {
      userId: "u",
      name: "k",
      settings: { ...NO_LIMITS, concurrency: 10, perKeyConcurrency: 2 },
      now: new Date(),
    });
    for (let i = 0; i < 50; i++)
      await store.insertJob(newJob({ queue: "k", concurrencyKey: "busy" }), new Date());
    const first = await claim(store, 10);
    expect(first.map((row) => row.concurrencyKey)).toEqual(["busy"]);
    expect((await claim(store, 10)).map((row) => row.concurrencyKey)).toEqual(["busy"]);
    expect(await claim(store, 10)).toEqual([]);
    const idle = await store.insertJob(newJob({ queue: "k", concurrencyKey: "idle" }), new Date());
    const keyless = await store.insertJob(newJob({ queue: "k" }), new Date());
    const next = await claim(store, 10);
    expect(next.map((row) => row.id).sort()).toEqual([idle.id, keyless.id].sort());
  });

  test("takes keys round robin: every key starts once before any starts twice", async ({ store, db }) => {
    await putQueueSettings(db, {
      userId: "u",
      name: "rr",
      settings: { ...NO_LIMITS, perKeyConcurrency: 100 },
      now: new Date(),
    });
    const keys = ["a", "b", "c", "d", "e"];
    for (let round = 0; round < 3; round++)
      for (const key of keys) await store.insertJob(newJob({ queue: "rr", concurrencyKey: key }), new Date());
    const order: string[] = [];
    for (let i = 0; i < 8; i++) order.push(...(await claim(store, 2)).map((row) => row.concurrencyKey!));
    expect(order.slice(0, 5).sort()).toEqual(keys);
    expect(order.slice(5, 10).sort()).toEqual(keys);
    expect(order).toHaveLength(15);
  });

  test("counts starts in a sliding window: at most `limit` in any periodMs, retries included", async ({
    store,
    db,
  }) => {
    await putQueueSettings(db, {
      userId: "u",
      name: "r",
      settings: { ...NO_LIMITS, rateLimit: { limit: 3, periodMs: 10_000 } },
      now: new Date(),
    });
    const t0 = Date.now();
    for (let i = 0; i < 10; i++)
      await store.insertJob(newJob({ queue: "r", runAt: new Date(t0 - 1000) }), new Date(t0 - 1000));
    expect(await claim(store, 2, new Date(t0))).toHaveLength(2);
    expect(await claim(store, 5, new Date(t0 + 5_000))).toHaveLength(1);
    expect(await claim(store, 5, new Date(t0 + 9_999))).toHaveLength(0);
    // The first two starts leave the window after 10 s; the third only later.
    expect(await claim(store, 5, new Date(t0 + 10_001))).toHaveLength(2);
    expect(await claim(store, 5, new Date(t0 + 14_000))).toHaveLength(0);
    expect(await claim(store, 5, new Date(t0 + 15_001))).toHaveLength(1);
  });

  test("limits each key's starts with perKeyRateLimit, others unaffected", async ({ store, db }) => {
    await putQueueSettings(db, {
      userId: "u",
      name: "kr",
      settings: { ...NO_LIMITS, perKeyRateLimit: { limit: 1, periodMs: 60_000 } },
      now: new Date(),
    });
    for (const key of ["a", "a", "a", "b"])
      await store.insertJob(newJob({ queue: "kr", concurrencyKey: key }), new Date());
    const first = await claim(store, 10);
    expect(first.map((row) => row.concurrencyKey).sort()).toEqual(["a", "b"]);
    expect(await claim(store, 10)).toEqual([]);
  });

  test("dedupe: skip keeps the pending job, replace and debounce change it, a new one once it runs", async ({
    store,
  }) => {
    const now = new Date();
    const first = await store.insertOrDeduplicate(newJob({ dedupeKey: "d", payload: { n: 1 } }), now, {
      mode: "skip",
    });
    expect(first.kind).toBe("created");
    const skipped = await store.insertOrDeduplicate(newJob({ dedupeKey: "d", payload: { n: 2 } }), now, {
      mode: "skip",
    });
    expect(skipped).toMatchObject({
      kind: "deduplicated",
      row: { id: first.kind === "created" ? first.row.id : "", payload: expect.stringContaining("1") },
    });
    const replaced = await store.insertOrDeduplicate(
      newJob({ dedupeKey: "d", payload: { n: 3 }, priority: 7 }),
      now,
      { mode: "replace" },
    );
    expect(replaced.kind).toBe("deduplicated");
    if (replaced.kind !== "deduplicated") return;
    expect(JSON.parse(replaced.row.payload)).toEqual({ n: 3 });
    expect(replaced.row.priority).toBe(7);
    const other = await store.insertOrDeduplicate(newJob({ dedupeKey: "d", type: "u2" }), now, {
      mode: "skip",
    });
    expect(other.kind).toBe("type-conflict");
    // Another queue is another key space.
    expect(
      (await store.insertOrDeduplicate(newJob({ dedupeKey: "d", queue: "q2" }), now, { mode: "skip" })).kind,
    ).toBe("created");
    expect(await claim(store, 10)).toHaveLength(2);
    expect((await store.insertOrDeduplicate(newJob({ dedupeKey: "d" }), now, { mode: "skip" })).kind).toBe(
      "created",
    );
  });

  test("debounce pushes runAt out, never past debounceMaxMs after the pending job was created", async ({
    store,
  }) => {
    const t0 = Date.now();
    const rule = { mode: "debounce" as const, debounceMs: 1_000, debounceMaxMs: 2_500 };
    const first = await store.insertOrDeduplicate(
      newJob({ dedupeKey: "x", runAt: new Date(t0 + 1_000) }),
      new Date(t0),
      rule,
    );
    expect(first.kind).toBe("created");
    const second = await store.insertOrDeduplicate(newJob({ dedupeKey: "x" }), new Date(t0 + 900), rule);
    expect(second.kind === "deduplicated" && second.row.runAt).toBe(t0 + 1_900);
    const third = await store.insertOrDeduplicate(newJob({ dedupeKey: "x" }), new Date(t0 + 2_000), rule);
    expect(third.kind === "deduplicated" && third.row.runAt).toBe(t0 + 2_500);
  });

  test("a retry back to pending while a newer pending job holds its dedupe key leaves the key to the newer one", async ({
    store,
  }) => {
    const now = new Date();
    const first = await store.insertOrDeduplicate(newJob({ dedupeKey: "slot" }), now, { mode: "skip" });
    const [running] = await claim(store, 1);
    expect(running?.id).toBe(first.kind === "created" ? first.row.id : undefined);
    const newer = await store.insertOrDeduplicate(newJob({ dedupeKey: "slot" }), now, { mode: "skip" });
    expect(newer.kind).toBe("created");
    const fence = { id: running!.id, attempts: running!.attempts, leaseOwner: running!.leaseOwner! };
    const retried = await store.settleAttempt(
      fence,
      { status: "pending", runAt: new Date(Date.now() + 60_000), isCounted: true },
      new Date(),
    );
    expect(retried).toMatchObject({ status: "pending", dedupeKey: "slot", dedupeSlot: null });
    const again = await store.insertOrDeduplicate(newJob({ dedupeKey: "slot" }), now, { mode: "skip" });
    expect(again).toMatchObject({
      kind: "deduplicated",
      row: { id: newer.kind === "created" ? newer.row.id : "" },
    });
  });

  test("a queue limited after its jobs were created holds them, a running one too when it comes back", async ({
    store,
    db,
  }) => {
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await store.insertJob(newJob({ queue: "late" }), new Date()));
    const [running] = await claim(store, 1);
    await putQueueSettings(db, {
      userId: "u",
      name: "late",
      settings: { ...NO_LIMITS, concurrency: 1 },
      now: new Date(),
    });
    // The running job fills the one slot: nothing else starts, through either path.
    expect(await claim(store, 10)).toEqual([]);
    const fence = { id: running!.id, attempts: running!.attempts, leaseOwner: running!.leaseOwner! };
    await store.settleAttempt(
      fence,
      { status: "pending", runAt: new Date(Date.now() - 1), isCounted: true },
      new Date(),
    );
    expect(await claim(store, 10)).toHaveLength(1);
    expect(await claim(store, 10)).toEqual([]);
    // Limits removed: the open path takes the other two at once.
    await putQueueSettings(db, { userId: "u", name: "late", settings: NO_LIMITS, now: new Date() });
    expect(await claim(store, 10)).toHaveLength(2);
    const rows = await db.read.all<{ isLimited: unknown }>(
      `SELECT "isLimited" FROM "jobs" WHERE "queue" = 'late'`,
    );
    expect(rows.map((row) => Boolean(row.isLimited))).toEqual([false, false, false]);
  });
});

/**
 * A claim sent in one message with the queue gate (PostgreSQL, once a claim saw no limited queue)
 * may wait in that message for a queue change to commit. flow-control.property.test.ts caught such
 * a claim recording its start before a resume it had waited for; here the wait is made on purpose.
 */
describe.each(providers.filter((provider) => provider === "postgresql"))(
  "a claim that waits for a queue change, against a real %s database",
  (provider) => {
    test.override({ provider });
    const newJob = jobFactory();

    test("records its starts after the change it waited for, not when it was sent", async ({
      store,
      db,
      database,
    }) => {
      const claim = () => store.claimJobs({ owner: "w", types: ["t"], limit: 10, leaseMs: 60_000 });
      // A first claim finds no limited queue: the next one is the one-message claim.
      expect(await claim()).toEqual([]);
      const job = await store.insertJob(newJob({ queue: "p" }), new Date());
      await setQueuePaused(db, { userId: "u", name: "p", isPaused: true, now: new Date() });

      // A resume under way: the queue gate held, the queue unpaused but not yet committed.
      const change = new pg.Client({ connectionString: database.url });
      await change.connect();
      try {
        await change.query("BEGIN");
        await change.query(db.sql.queueGate!.exclusive);
        const sentAt = Date.now();
        const claimed = claim();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const resumedAt = new Date();
        await change.query(
          `UPDATE "queues" SET "isPaused" = FALSE, "isFlowControlled" = FALSE WHERE "name" = 'p'`,
        );
        await change.query(`UPDATE "jobs" SET "isLimited" = FALSE WHERE "queue" = 'p'`);
        await change.query("COMMIT");

        const [started] = await claimed;
        expect(started?.id).toBe(job.id);
        expect(started!.startedAt!).toBeGreaterThanOrEqual(resumedAt.getTime());
        expect(started!.startedAt!).toBeGreaterThan(sentAt + 250);
        // Its lease keeps its full length from the start, and its attempt row agrees.
        expect(started!.leaseExpiresAt! - started!.startedAt!).toBe(60_000);
        const [attempt] = await db.read.all<{ startedAt: unknown }>(
          `SELECT "startedAt" FROM "job_attempts" WHERE "jobId" = @id`,
          { id: job.id },
        );
        expect(new Date(attempt!.startedAt as string).getTime()).toBe(started!.startedAt);
      } finally {
        await change.end();
      }
    });

    test("records the time it was given, when the caller fixes it", async ({ store }) => {
      const claim = (now: Date) =>
        store.claimJobs({ owner: "w", types: ["t"], limit: 10, leaseMs: 60_000, now });
      const past = new Date(Date.now() - 60_000);
      expect(await claim(past)).toEqual([]);
      await store.insertJob(newJob({ runAt: new Date(past.getTime() - 1_000) }), new Date());
      const [started] = await claim(past);
      expect(started!.startedAt).toBe(past.getTime());
    });
  },
);
