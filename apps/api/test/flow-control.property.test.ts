import { setTimeout as delay } from "node:timers/promises";
import type { QueueSettings } from "@jobdeck/contract";
import fc from "fast-check";
import { v7 as uuidv7 } from "uuid";
import { describe, expect } from "vitest";
import { openDatabase, type Database } from "../src/db/index.js";
import { createJobStore, type JobStore, type NewJob } from "../src/db/job-store/index.js";
import { putQueueSettings, setQueuePaused } from "../src/db/job-store/queue-changes.js";
import { createJobTypeRegistry } from "../src/job-types/registry.js";
import { jobEventData } from "../src/jobs/mapper.js";
import { createWorker, type Worker } from "../src/worker/worker.js";
import { testProviders } from "./support/databases.js";
import { silentLogger, test } from "./support/fixtures.js";
import {
  claimStartsOf,
  groupBy,
  maxOverlap,
  maxStartsInWindow,
  pairAttempts,
  type RecordLine,
} from "./support/flow-records.js";
import { FLOW_TYPE, flowJobTypes } from "./support/job-type-modules/flow-recording-job-types.js";

/**
 * §11's invariants over random scenarios: queues with random limits (concurrency, per key, rate
 * windows of about a second), jobs with keys, priorities, delays and failures, pauses and resumes,
 * and a worker that crashes. The workers run in this process, each on its own connections (as
 * another process would be, as far as the code can tell); a crash is abrupt: from that instant the
 * worker's writes never reach the database (no settle, no lease renewal) and its handlers write
 * nothing more, as after a SIGKILL. Real SIGKILLs are in flow-control-processes.test.ts.
 *
 * Over the whole record: no instant has more than `concurrency` attempts of a queue, or
 * `perKeyConcurrency` of a key, running (a crashed attempt runs until its lease's end); no window of
 * periodMs has more than `limit` claims; no job is claimed before its runAt; nothing of a queue is
 * claimed while it is paused; and every job ends, completed.
 *
 * Replay: FLOW_PROPERTY_SEED=<seed> (and FLOW_PROPERTY_PATH=<path> for one run); FLOW_PROPERTY_RUNS
 * sets the number of runs per database.
 */
const providers = await testProviders();
const RUNS = Number(process.env.FLOW_PROPERTY_RUNS ?? 12);
const SEED = Number(process.env.FLOW_PROPERTY_SEED ?? (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0);
const PATH = process.env.FLOW_PROPERTY_PATH;
const LEASE_MS = 2000;

const queueArb = fc.record({
  concurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  perKeyConcurrency: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
  rateLimit: fc.option(
    fc.record({ limit: fc.integer({ min: 3, max: 6 }), periodMs: fc.constantFrom(1000, 1300) }),
    {
      nil: null,
      freq: 2,
    },
  ),
  perKeyRateLimit: fc.option(
    fc.record({ limit: fc.integer({ min: 1, max: 3 }), periodMs: fc.constant(1000) }),
    {
      nil: null,
      freq: 2,
    },
  ),
  pause: fc.option(
    fc.record({ at: fc.integer({ min: 0, max: 800 }), forMs: fc.integer({ min: 300, max: 1000 }) }),
    {
      nil: undefined,
      freq: 2,
    },
  ),
  /** Its concurrency changed while jobs run (lowered or raised): it holds from the next start. */
  change: fc.option(
    fc.record({
      at: fc.integer({ min: 100, max: 1200 }),
      concurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    }),
    { nil: undefined, freq: 3 },
  ),
});

const jobArb = fc.record({
  queue: fc.nat(2),
  key: fc.option(fc.constantFrom("k0", "k1", "k2"), { nil: null }),
  priority: fc.integer({ min: -2, max: 2 }),
  delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 50, max: 1200 })),
  createAt: fc.integer({ min: 0, max: 600 }),
  ms: fc.integer({ min: 0, max: 150 }),
  failAttempts: fc.constantFrom(0, 0, 0, 1),
});

const scenarioArb = fc.record({
  queues: fc.array(queueArb, { minLength: 1, maxLength: 3 }),
  jobs: fc.array(jobArb, { minLength: 3, maxLength: 10 }),
  /** Each worker's concurrency. */
  workers: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 3 }),
  crash: fc.option(fc.record({ worker: fc.nat(2), at: fc.integer({ min: 50, max: 1200 }) }), {
    nil: undefined,
  }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

/**
 * A store whose every write can be cut off at once: after `crash()`, each call fails, as the
 * calls of a killed process never arrive. `crash` waits for the calls already under way, so that
 * what the database holds afterwards is what the dead worker left.
 */
function crashable(store: JobStore) {
  let isCrashed = false;
  const underWay = new Set<Promise<unknown>>();
  const cut =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (isCrashed) return Promise.reject(new Error("this worker crashed"));
      const promise = call(...args);
      underWay.add(promise);
      void promise.then(
        () => underWay.delete(promise),
        () => underWay.delete(promise),
      );
      return promise;
    };
  const wrapped: JobStore = {
    insertJob: cut((...args: Parameters<JobStore["insertJob"]>) => store.insertJob(...args)),
    insertJobAndExplain: cut((...args: Parameters<JobStore["insertJobAndExplain"]>) =>
      store.insertJobAndExplain(...args),
    ),
    insertOrDeduplicate: cut((...args: Parameters<JobStore["insertOrDeduplicate"]>) =>
      store.insertOrDeduplicate(...args),
    ),
    insertJobs: cut((...args: Parameters<JobStore["insertJobs"]>) => store.insertJobs(...args)),
    insertJobsIn: cut((...args: Parameters<JobStore["insertJobsIn"]>) => store.insertJobsIn(...args)),
    claimJobs: cut((...args: Parameters<JobStore["claimJobs"]>) => store.claimJobs(...args)),
    renewLease: cut((...args: Parameters<JobStore["renewLease"]>) => store.renewLease(...args)),
    settleAttempt: cut((...args: Parameters<JobStore["settleAttempt"]>) => store.settleAttempt(...args)),
    setProgress: cut((...args: Parameters<JobStore["setProgress"]>) => store.setProgress(...args)),
    appendLogs: cut((...args: Parameters<JobStore["appendLogs"]>) => store.appendLogs(...args)),
    requestCancel: cut((...args: Parameters<JobStore["requestCancel"]>) => store.requestCancel(...args)),
    cancelJobsIn: cut((...args: Parameters<JobStore["cancelJobsIn"]>) => store.cancelJobsIn(...args)),
    reapExpiredLeases: cut((...args: Parameters<JobStore["reapExpiredLeases"]>) =>
      store.reapExpiredLeases(...args),
    ),
  };
  return {
    store: wrapped,
    isCrashed: () => isCrashed,
    crash: async () => {
      isCrashed = true;
      await Promise.allSettled([...underWay]);
    },
  };
}

type RunningWorker = { name: string; worker: Worker; db: Database; crash(): Promise<void> };

const NO_LIMITS: QueueSettings = {
  concurrency: null,
  perKeyConcurrency: null,
  rateLimit: null,
  perKeyRateLimit: null,
};

describe.each(providers)("flow control over random scenarios, on %s", (provider) => {
  test.override({ provider });

  test(
    "limits, runAt and pauses hold over the record, and every job ends",
    { timeout: 170_000 },
    async ({ database, db, store, prisma }) => {
      console.log(
        `flow-control property on ${provider}: seed ${SEED}, ${RUNS} runs (replay with FLOW_PROPERTY_SEED=${SEED})`,
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          const violations = await runScenario(scenario, `run${++run}`);
          expect(violations, JSON.stringify(scenario)).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true, ...(PATH ? { path: PATH } : {}) },
      );

      async function runScenario(scenario: Scenario, userId: string): Promise<string[]> {
        const violations: string[] = [];
        const lines: RecordLine[] = [];
        const queueName = (i: number) => `q${i % scenario.queues.length}`;
        const settingsOf = (q: Scenario["queues"][number]): QueueSettings => ({
          ...NO_LIMITS,
          concurrency: q.concurrency,
          perKeyConcurrency: q.perKeyConcurrency,
          rateLimit: q.rateLimit,
          perKeyRateLimit: q.perKeyRateLimit,
        });
        for (const [i, q] of scenario.queues.entries()) {
          const settings = {
            ...NO_LIMITS,
            concurrency: q.concurrency,
            perKeyConcurrency: q.perKeyConcurrency,
            rateLimit: q.rateLimit,
            perKeyRateLimit: q.perKeyRateLimit,
          };
          await putQueueSettings(db, { userId, name: queueName(i), settings, now: new Date() });
        }

        const workers: RunningWorker[] = [];
        for (const [i, concurrency] of scenario.workers.entries()) {
          const name = `${userId}-w${i}`;
          const workerDb = await openDatabase(database.url, { logger: silentLogger });
          const cuttable = crashable(createJobStore(workerDb, { eventData: jobEventData }));
          const registry = createJobTypeRegistry(
            flowJobTypes({ record: (line) => lines.push(line), worker: name, isCrashed: cuttable.isCrashed }),
          );
          const worker = createWorker({
            db: workerDb,
            store: cuttable.store,
            registry,
            logger: silentLogger,
            concurrency,
            leaseMs: LEASE_MS,
            pollMs: 50,
            backoff: { baseMs: 50, maxMs: 200 },
          });
          worker.start();
          workers.push({ name, worker, db: workerDb, crash: cuttable.crash });
        }

        /** Attempts of a crashed worker still leased in the database: they hold their slot until the lease ends. */
        const deadAttempts = new Map<string, { startedAt: number; leaseEnd: number }>();
        const changes = new Map<string, { before: number; after: number; concurrency: number | null }>();
        const pauses: { queue: string; from: number; to: number; afterEvent: number; beforeEvent: number }[] =
          [];
        const marker = async () => {
          const row = await store.insertJob(
            {
              id: uuidv7(),
              userId,
              type: FLOW_TYPE,
              resultType: "json",
              payload: {},
              maxAttempts: 1,
              timeoutMs: 1000,
              queue: "markers",
              runAt: new Date(Date.now() + 3_600_000),
            },
            new Date(),
          );
          return Number((await prisma.jobEvent.findFirstOrThrow({ where: { jobId: row.id } })).id);
        };

        const t0 = Date.now();
        const at = (offset: number) => delay(Math.max(0, t0 + offset - Date.now()));
        const created: { id: string; runAt: number }[] = [];
        const actions: Promise<void>[] = [
          ...scenario.jobs.map(async (job) => {
            await at(job.createAt);
            const now = new Date();
            const newJob: NewJob = {
              id: uuidv7(),
              userId,
              type: FLOW_TYPE,
              resultType: "json",
              payload: { ms: job.ms, failAttempts: job.failAttempts },
              maxAttempts: 10,
              timeoutMs: 600_000,
              queue: queueName(job.queue),
              priority: job.priority,
              runAt: new Date(now.getTime() + job.delayMs),
              concurrencyKey: job.key,
            };
            const row = await store.insertJob(newJob, now);
            created.push({ id: row.id, runAt: row.runAt });
          }),
          ...scenario.queues.map(async (q, i) => {
            if (!q.pause) return;
            await at(q.pause.at);
            await setQueuePaused(db, { userId, name: queueName(i), isPaused: true, now: new Date() });
            const from = Date.now();
            const afterEvent = await marker();
            await at(q.pause.at + q.pause.forMs);
            const beforeEvent = await marker();
            const to = Date.now();
            await setQueuePaused(db, { userId, name: queueName(i), isPaused: false, now: new Date() });
            pauses.push({ queue: queueName(i), from, to, afterEvent, beforeEvent });
          }),
          ...scenario.queues.map(async (q, i) => {
            if (!q.change) return;
            await at(q.change.at);
            const before = Date.now();
            const settings = { ...settingsOf(q), concurrency: q.change.concurrency };
            await putQueueSettings(db, { userId, name: queueName(i), settings, now: new Date() });
            changes.set(queueName(i), { before, after: Date.now(), concurrency: q.change.concurrency });
          }),
          (async () => {
            if (!scenario.crash) return;
            await at(scenario.crash.at);
            const victim = workers[scenario.crash.worker % workers.length]!;
            await victim.crash();
            const leased = await prisma.job.findMany({
              where: { userId, status: "running", leaseOwner: { startsWith: `${victim.worker.id}#` } },
            });
            for (const row of leased)
              deadAttempts.set(`${row.id}#${row.attempts}`, {
                startedAt: row.startedAt!.getTime(),
                leaseEnd: row.leaseExpiresAt!.getTime(),
              });
          })(),
        ];
        await Promise.all(actions);

        // Every job ends: completed, since no job fails more often than it may.
        const deadline = Date.now() + 30_000;
        for (;;) {
          const rows = await prisma.job.findMany({ where: { userId, queue: { not: "markers" } } });
          const failed = rows.filter((row) => row.status === "failed" || row.status === "cancelled");
          if (failed.length > 0) {
            violations.push(
              `jobs ended badly: ${JSON.stringify(failed.map((r) => [r.id, r.status, r.error]))}`,
            );
            break;
          }
          if (rows.every((row) => row.status === "completed")) break;
          if (Date.now() > deadline) {
            violations.push(
              `jobs never ended: ${JSON.stringify(rows.filter((r) => r.status !== "completed").map((r) => [r.id, r.status, r.queue, r.concurrencyKey, r.runAt]))}`,
            );
            break;
          }
          await delay(50);
        }
        await Promise.all(
          workers.map(async ({ worker, db: workerDb }) => {
            await worker.stop(0);
            await workerDb.close();
          }),
        );

        const jobs = new Map(
          (await prisma.job.findMany({ where: { userId } })).map((row) => [row.id, row] as const),
        );
        const recorded = pairAttempts(
          lines,
          (jobId, attempt) => deadAttempts.get(`${jobId}#${attempt}`)?.leaseEnd,
        );
        // A dead worker may have claimed jobs whose handlers never began: they held slots all the same.
        for (const [key, dead] of deadAttempts) {
          const [jobId, attempt] = key.split("#");
          if (!recorded.some((a) => a.jobId === jobId && a.attempt === Number(attempt)))
            recorded.push({
              jobId: jobId!,
              attempt: Number(attempt),
              worker: "crashed",
              startedAt: dead.startedAt,
              endedAt: dead.leaseEnd,
              outcome: "crashed",
            });
        }
        const unended = recorded.filter((a) => a.endedAt === Infinity);
        if (unended.length > 0) violations.push(`attempts without an end: ${JSON.stringify(unended)}`);

        const claims = claimStartsOf(
          await prisma.jobEvent.findMany({ where: { userId }, select: { id: true, data: true } }),
        );
        for (const [i, q] of scenario.queues.entries()) {
          const name = queueName(i);
          const attempts = recorded.filter((a) => jobs.get(a.jobId)?.queue === name);
          const overlap = (list: typeof attempts) =>
            maxOverlap(list.map((a) => ({ start: a.startedAt, end: a.endedAt })));
          // At each attempt's start, the attempts running then (each one's recorded time lies within
          // its time as running in the database) are within the limit its claim saw: the old one
          // before a change began, the new one after it answered, either while it was under way.
          const change = changes.get(name);
          const loosest = (a: number | null, b: number | null) =>
            a === null || b === null ? null : Math.max(a, b);
          const limitAt = (t: number) =>
            !change || t < change.before
              ? q.concurrency
              : t > change.after
                ? change.concurrency
                : loosest(q.concurrency, change.concurrency);
          for (const attempt of attempts) {
            const claim = claims.find((c) => c.jobId === attempt.jobId && c.attempt === attempt.attempt);
            const limit = claim ? limitAt(claim.startedAt) : q.concurrency;
            if (limit === null) continue;
            const running = attempts.filter(
              (other) =>
                other !== attempt &&
                other.startedAt <= attempt.startedAt &&
                attempt.startedAt < other.endedAt,
            );
            if (running.length + 1 > limit)
              violations.push(
                `${name}: ${running.length + 1} running at ${attempt.startedAt} > concurrency ${limit} (change ${JSON.stringify(change)})`,
              );
          }
          if (q.perKeyConcurrency !== null) {
            for (const [key, ofKey] of groupBy(
              attempts,
              (a) => jobs.get(a.jobId)?.concurrencyKey ?? undefined,
            )) {
              const { count, at: when } = overlap(ofKey);
              if (count > q.perKeyConcurrency)
                violations.push(
                  `${name}/${key}: ${count} running at ${when} > perKeyConcurrency ${q.perKeyConcurrency}`,
                );
            }
          }
          const queueClaims = claims.filter((c) => c.queue === name);
          if (q.rateLimit) {
            const { count, from } = maxStartsInWindow(
              queueClaims.map((c) => c.startedAt),
              q.rateLimit.periodMs,
            );
            if (count > q.rateLimit.limit)
              violations.push(
                `${name}: ${count} starts in [${from}, +${q.rateLimit.periodMs}) > ${q.rateLimit.limit}`,
              );
          }
          if (q.perKeyRateLimit) {
            for (const [key, ofKey] of groupBy(queueClaims, (c) => c.concurrencyKey ?? undefined)) {
              const { count, from } = maxStartsInWindow(
                ofKey.map((c) => c.startedAt),
                q.perKeyRateLimit.periodMs,
              );
              if (count > q.perKeyRateLimit.limit)
                violations.push(
                  `${name}/${key}: ${count} starts in [${from}, +${q.perKeyRateLimit.periodMs}) > ${q.perKeyRateLimit.limit}`,
                );
            }
          }
        }
        for (const pause of pauses) {
          const during = claims.filter(
            (c) =>
              c.queue === pause.queue &&
              // Committed between the markers, or timed (once it held its locks) inside the pause.
              ((c.eventId > pause.afterEvent && c.eventId < pause.beforeEvent) ||
                (c.startedAt > pause.from && c.startedAt < pause.to)),
          );
          if (during.length > 0)
            violations.push(
              `${pause.queue} paused ${JSON.stringify(pause)}, yet claimed: ${JSON.stringify(during)}`,
            );
        }
        for (const job of created) {
          const early = claims.filter(
            (c) => c.jobId === job.id && c.attempt === 1 && c.startedAt < job.runAt,
          );
          if (early.length > 0)
            violations.push(`job ${job.id} claimed before its runAt ${job.runAt}: ${JSON.stringify(early)}`);
        }
        // Every claim has its attempt in the record (none was lost or invented).
        const claimed = new Set(
          claims.filter((c) => c.queue !== "markers").map((c) => `${c.jobId}#${c.attempt}`),
        );
        const ran = new Set(recorded.map((a) => `${a.jobId}#${a.attempt}`));
        const missing = [...claimed].filter((key) => !ran.has(key));
        const invented = [...ran].filter((key) => !claimed.has(key));
        if (missing.length + invented.length > 0)
          violations.push(
            `record and claims disagree: missing ${missing.join(",")} invented ${invented.join(",")}`,
          );
        return violations;
      }
    },
  );
});

/**
 * Found as F2: many keys at their per-key limit held back a new key. A claim walked at most
 * max(16, 4 × its free slots) keys from the queue's key cursor, so with 400 keys waiting out a
 * per-key rate limit, a job of a fresh key that could start waited 25 claims that started nothing
 * (about 6 s at one idle worker's 250 ms poll). A claim now walks on, past keys at their limits,
 * until it has found what it has room for or seen every key: the first claim with room takes it.
 */
describe.each(providers)("fairness between many keys, on %s", (provider) => {
  test.override({ provider });

  test("F2: the first claim with room starts a fresh key's job beside 200 keys at their limit", async ({
    store,
    db,
    prisma,
  }) => {
    const settings = { ...NO_LIMITS, perKeyRateLimit: { limit: 1, periodMs: 60_000 } };
    await putQueueSettings(db, { userId: "u", name: "q", settings, now: new Date() });
    const job = (key: string): NewJob => ({
      id: uuidv7(),
      userId: "u",
      type: FLOW_TYPE,
      resultType: "json",
      payload: {},
      maxAttempts: 3,
      timeoutMs: 10_000,
      queue: "q",
      concurrencyKey: key,
    });
    const claim = () =>
      store.claimJobs({ owner: "w", types: [FLOW_TYPE], limit: 4, leaseMs: 60_000, now: new Date() });
    // Each of 200 keys starts once, then has a job waiting out its rate window (a minute).
    const keys = Array.from({ length: 200 }, (_, i) => `k${String(i).padStart(3, "0")}`);
    for (const key of keys) {
      await store.insertJob(job(key), new Date());
      await store.insertJob(job(key), new Date());
    }
    let started = 0;
    for (let claims = 0; started < keys.length && claims < 1000; claims++) started += (await claim()).length;
    expect(started).toBe(keys.length);
    await prisma.job.updateMany({ where: { status: "running" }, data: { status: "completed" } });
    expect(await claim()).toEqual([]);

    // A fresh key where the walk reaches it last: just before the cursor, or after every key when
    // the next walk starts from the first.
    const cursor = (await prisma.queue.findFirstOrThrow({ where: { userId: "u", name: "q" } })).keyCursor;
    const fresh = await store.insertJob(job(cursor === null ? "k199~" : cursor.slice(0, -1)), new Date());
    let claimsNeeded = 1;
    while (!(await claim()).some((row) => row.id === fresh.id) && claimsNeeded < 100) claimsNeeded++;
    console.log(`F2 on ${provider}: a fresh key's job started at claim ${claimsNeeded}`);
    expect(claimsNeeded, "claims until the fresh key's job started").toBe(1);
  });
});
