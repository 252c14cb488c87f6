import { randomUUID } from "node:crypto";
import { openJobdeckStore, type QueueSettings } from "../api-dist.js";
import { CONTENDERS, JOBDECK_ENV, NOOP_JOB_TYPE } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase } from "../databases.js";
import type { Running } from "../processes.js";
import { IS_LIMITED, nowNs, nsToMs, openClient, startTimes } from "../queues.js";
import { quantile, round, spread } from "../stats.js";
import { BENCH_JWT_SECRET } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: "<=", value: 2 } as const;
const QUEUE = "r11";
const BUSY_KEY = "busy";
/** One running job per key: the busy key, holding its one slot, is at its limit. */
const LIMITS: QueueSettings = {
  concurrency: null,
  perKeyConcurrency: 1,
  rateLimit: null,
  perKeyRateLimit: null,
};
const WARMUP_JOBS = 20;
const START_TIMEOUT_MS = 10_000;
/** Rows per INSERT while filling the busy key. */
const BATCH = 5_000;

type CaseName = "busy" | "empty";
type Case = {
  name: CaseName;
  worker: Running;
  starts: ReturnType<typeof startTimes>;
  enqueue(n: number): Promise<void>;
  close(): Promise<void>;
  p50s: number[];
  latencies: number[];
};

/**
 * The busy key at its limit: one job of it running (a lease held for an hour by a worker that is
 * not there, so it stays running for the whole measurement) and `count` of its jobs pending and
 * runnable, with their "created" events as the API writes them. Then ANALYZE: this machine's
 * PostgreSQL runs without autovacuum (see queues.ts).
 */
async function fillBusyKey(db: BenchDatabase, count: number): Promise<void> {
  const client = await openClient(db);
  try {
    const now = new Date();
    const at = now.toISOString();
    const hourOn = new Date(now.getTime() + 3_600_000).toISOString();
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "attempts", "maxAttempts",
         "timeoutMs", "runAt", "createdAt", "updatedAt", "startedAt", "leaseOwner", "leaseExpiresAt", "queue", "concurrencyKey",
         "isLimited")
       VALUES ($1, 'bench', $2, 'running', 'json', '{"n":-1000000}', 1, 3, 10000, $3, $3, $3, $3, 'bench-holder', $4, $5, $6,
         ${IS_LIMITED})`,
      [randomUUID(), NOOP_JOB_TYPE, at, hourOn, QUEUE, BUSY_KEY],
    );
    for (let from = 0; from < count; from += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, count - from) }, () => randomUUID());
      await client.query(
        `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "attempts", "maxAttempts",
           "timeoutMs", "runAt", "createdAt", "updatedAt", "queue", "concurrencyKey", "isLimited")
         SELECT j."id", 'bench', $2, 'pending', 'json', json_build_object('n', -1000000 - j."n")::jsonb, 0, 3, 10000,
           $3, $3, $3, $5, $4, ${IS_LIMITED}
         FROM unnest($1::text[]) WITH ORDINALITY AS j("id", "n")`,
        [ids, NOOP_JOB_TYPE, at, BUSY_KEY, QUEUE],
      );
      await client.query(
        `INSERT INTO "job_events" ("userId", "jobId", "data", "createdAt")
         SELECT 'bench', j."id", json_build_object('id', j."id", 'status', 'pending')::text, $2
         FROM unnest($1::text[]) AS j("id")`,
        [ids, at],
      );
    }
    await client.query("COMMIT");
    await client.query(`ANALYZE "jobs"`);
  } finally {
    await client.end();
  }
}

/**
 * One case on a fresh PostgreSQL database: the queue limited per key, the busy key filled or not,
 * jobdeck's worker (worker-main.js) started on the server core, and an enqueuer in the bench's
 * process through jobdeck's job store (what POST /v1/jobs runs once the request is parsed), as R6.
 */
async function openCase(ctx: BenchContext, name: CaseName, databases: BenchDatabase[]): Promise<Case> {
  const db = await createBenchDatabase("postgresql", "r11");
  databases.push(db);
  const { store, putQueueSettings, close } = await openJobdeckStore({
    ...JOBDECK_ENV,
    LOG_LEVEL: "silent",
    DATABASE_URL: db.url,
    JWT_SECRET: BENCH_JWT_SECRET,
  });
  try {
    await putQueueSettings("bench", QUEUE, LIMITS);
    if (name === "busy") {
      ctx.log(`  filling the busy key with ${ctx.mode.flow.busyJobs.toLocaleString("en")} jobs`);
      await fillBusyKey(db, ctx.mode.flow.busyJobs);
    } else {
      const client = await openClient(db);
      await client.query(`ANALYZE "jobs"`).finally(() => client.end());
    }
  } catch (error) {
    await close();
    throw error;
  }
  const worker = await CONTENDERS["jobdeck-worker"].start(db, {
    core: ctx.cores.server,
    profileDir: ctx.profileDir,
  });
  return {
    name,
    worker,
    starts: startTimes(worker),
    p50s: [],
    latencies: [],
    // Each job has its own key: an idle key, never held back by its own previous job.
    enqueue: async (n) => {
      await store.insertJob(
        {
          id: randomUUID(),
          userId: "bench",
          type: NOOP_JOB_TYPE,
          resultType: "json",
          payload: { n, report: true },
          maxAttempts: 3,
          timeoutMs: 10_000,
          queue: QUEUE,
          concurrencyKey: `idle-${n}`,
        },
        new Date(),
      );
    },
    close: async () => {
      await close();
      await worker.stop();
    },
  };
}

/** Jobs first…first+count−1, each enqueued once the previous one started: enqueue → handler's first line. */
async function runSequence(c: Case, first: number, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = first; n < first + count; n++) {
    const before = nowNs();
    await c.enqueue(n);
    latencies.push(nsToMs((await c.starts.next(n, START_TIMEOUT_MS)) - before));
  }
  return latencies;
}

const p50 = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/**
 * R11: enqueue-to-start p50 of a job of an idle key while another key of the same queue has
 * 100,000 jobs waiting at its limit ÷ the same on the queue with nothing else in it.
 */
export const busyKeyLatencyTarget: Target = {
  id: "R11",
  title:
    "Enqueue-to-start p50 on PostgreSQL of an idle key's job while another key of its queue has 100,000 jobs waiting at its limit ÷ the same on an empty queue",
  goal: "≤ 2×",
  providers: [],
  unavailable: (ctx) =>
    ctx.reachable.includes("postgresql") ? undefined : "needs PostgreSQL, which this run does not reach",
  async run(ctx) {
    const { latencyJobs, latencyRounds, busyJobs } = ctx.mode.flow;
    const perRound = Math.ceil(latencyJobs / latencyRounds);
    const databases: BenchDatabase[] = [];
    const cases: Case[] = [];
    try {
      for (const name of ["busy", "empty"] as const) {
        ctx.log(`  starting the ${name} case`);
        cases.push(await openCase(ctx, name, databases));
      }
      for (const c of cases) await runSequence(c, -WARMUP_JOBS, WARMUP_JOBS);
      for (let i = 0; i < latencyRounds; i++) {
        // The cases take turns, the first alternating.
        for (const c of i % 2 === 0 ? cases : [...cases].reverse()) {
          const latencies = await runSequence(c, i * perRound, perRound);
          c.p50s.push(p50(latencies));
          c.latencies.push(...latencies);
        }
        ctx.log(
          `  round ${i + 1}/${latencyRounds}: p50 ${cases.map((c) => `${c.name} ${c.p50s[i]!.toFixed(2)} ms`).join(", ")}`,
        );
      }
      const { rows } = await (async () => {
        const client = await openClient(databases[0]!);
        try {
          return await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "jobs" WHERE "concurrencyKey" = $1 AND "status" = 'pending'`,
            [BUSY_KEY],
          );
        } finally {
          await client.end();
        }
      })();
      // The busy key must still be at its limit with all its jobs waiting, or the case measured nothing.
      if (rows[0]?.n !== busyJobs)
        throw new Error(
          `R11: the busy key has ${rows[0]?.n} pending jobs, not ${busyJobs}: its limit did not hold`,
        );
    } finally {
      for (const c of cases)
        await c.close().catch((e: unknown) => ctx.log(`  could not stop ${c.name}: ${String(e)}`));
      for (const db of databases)
        await db.drop().catch((e: unknown) => ctx.log(`  could not drop ${db.location}: ${String(e)}`));
    }

    const [busy, empty] = cases as [Case, Case];
    const ratios = busy.p50s.map((p, i) => p / empty.p50s[i]!);
    const value = spread(ratios);
    const measurement: Measurement = {
      label: "PostgreSQL: busy queue ÷ empty queue, enqueue→start p50 of an idle key's job",
      provider: "postgresql",
      unit: "×",
      value,
      goal: GOAL,
      isMet: meets(value.median, GOAL),
      rounds: {
        ratio: ratios.map((r) => round(r, 3)),
        "busy p50 ms": busy.p50s.map((p) => round(p, 2)),
        "empty p50 ms": empty.p50s.map((p) => round(p, 2)),
      },
      extra: {
        "busy p50 ms (all jobs)": round(p50(busy.latencies), 2),
        "empty p50 ms (all jobs)": round(p50(empty.latencies), 2),
        "busy p99 ms": round(
          quantile(
            [...busy.latencies].sort((a, b) => a - b),
            0.99,
          ),
          2,
        ),
        "empty p99 ms": round(
          quantile(
            [...empty.latencies].sort((a, b) => a - b),
            0.99,
          ),
          2,
        ),
      },
      command: commandFor(ctx.mode, "R11"),
    };
    return {
      id: "R11",
      title: this.title,
      goal: this.goal,
      status: statusOf([measurement]),
      measurements: [measurement],
      notes: [
        `Two cases, each on a fresh database with its own jobdeck worker (worker-main.js, pinned to the server core): queue "${QUEUE}" with perKeyConcurrency 1 (set through the API's putQueueSettings). "Busy": key "${BUSY_KEY}" has one job running (its lease held for an hour) and ${busyJobs.toLocaleString("en")} runnable jobs waiting behind it (ANALYZEd); "empty": nothing else in the queue.`,
        `${perRound * latencyRounds} sequential no-op jobs per case (${latencyRounds} round${latencyRounds === 1 ? "" : "s"} of ${perRound}, the cases taking turns; ${WARMUP_JOBS} warm-up jobs each first), each with a key of its own, enqueued once the previous one has started, through jobdeck's job store in the bench's process as R6 does on PostgreSQL; latency from just before the enqueue call to the handler's first line, on CLOCK_MONOTONIC. The ratio is per round (busy p50 ÷ empty p50). After the rounds the busy key must still have all its jobs waiting.`,
      ],
    };
  },
};
