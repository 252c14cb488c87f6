import { openJobdeckStore, type QueueSettings } from "../api-dist.js";
import { CONTENDERS, JOBDECK_ENV, WORKER_CONCURRENCY } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase } from "../databases.js";
import { cpuSeconds, sleep } from "../processes.js";
import { enqueueJobdeck, nowNs, nsToMs, openClient, REMAINING_SQL, type Flow } from "../queues.js";
import { round, spread } from "../stats.js";
import { BENCH_JWT_SECRET } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 0.8 } as const;
const POLL_MS = 25;
const QUEUE = "r10";
/** R10's limits: a queue limit equal to the worker's slots, and one running job per key. */
export const R10_LIMITS: QueueSettings = {
  concurrency: 8,
  perKeyConcurrency: 1,
  rateLimit: null,
  perKeyRateLimit: null,
};

type Variant = "limited" | "open";
type Round = { jobsPerSecond: number; seconds: number; cpuMicrosPerJob: number };

/** Jobs n, n + keys, n + 2·keys … share key n: in id order the keys take turns. */
const flowOf = (keys: number): Flow => ({
  queue: QUEUE,
  keyOf: (n) => `key-${String(n % keys).padStart(5, "0")}`,
});

/** Sets R10's limits on a fresh database through the API's putQueueSettings, as PUT /v1/queues/r10 would. */
async function limitQueue(db: BenchDatabase): Promise<void> {
  const { putQueueSettings, close } = await openJobdeckStore({
    ...JOBDECK_ENV,
    LOG_LEVEL: "silent",
    DATABASE_URL: db.url,
    JWT_SECRET: BENCH_JWT_SECRET,
  });
  try {
    await putQueueSettings("bench", QUEUE, R10_LIMITS);
  } finally {
    await close();
  }
}

/**
 * Checks from the finished rows that the limits held: no two jobs of one key overlapped, and at no
 * job's start were more than `concurrency` jobs of the queue running. A limited round that broke its
 * limits would measure something else.
 */
async function assertLimitsHeld(client: Awaited<ReturnType<typeof openClient>>): Promise<void> {
  const { rows } = await client.query<{ overlaps: number; peak: number }>(
    `WITH "ordered" AS (
       SELECT "startedAt", "finishedAt",
         LAG("finishedAt") OVER (PARTITION BY "concurrencyKey" ORDER BY "startedAt", "id") AS "previousEnd"
       FROM "jobs" WHERE "queue" = $1)
     SELECT
       (SELECT COUNT(*)::int FROM "ordered" WHERE "previousEnd" > "startedAt") AS "overlaps",
       (SELECT COALESCE(MAX(n), 0)::int FROM (
          SELECT SUM(d) OVER (ORDER BY t, d) AS n FROM (
            SELECT "startedAt" AS t, 1 AS d FROM "jobs" WHERE "queue" = $1
            UNION ALL SELECT "finishedAt", -1 FROM "jobs" WHERE "queue" = $1) AS "edges") AS "running") AS "peak"`,
    [QUEUE],
  );
  const { overlaps, peak } = rows[0]!;
  if (overlaps > 0 || peak > R10_LIMITS.concurrency!)
    throw new Error(`R10: the limits did not hold: ${overlaps} per-key overlaps, ${peak} running at once`);
}

/**
 * One round, as R5's: a fresh PostgreSQL database, jobdeck's worker started on it and idle, then
 * `jobs` no-op jobs over `keys` keys of one queue committed at once, clocked from that COMMIT until
 * none is pending or running. "limited" sets R10's limits on the queue first; "open" leaves it
 * without limits. Same jobs, same keys, same worker.
 */
async function runRound(ctx: BenchContext, variant: Variant, jobs: number, keys: number): Promise<Round> {
  const db = await createBenchDatabase("postgresql", "r10");
  try {
    if (variant === "limited") await limitQueue(db);
    const worker = await CONTENDERS["jobdeck-worker"].start(db, {
      core: ctx.cores.server,
      profileDir: ctx.profileDir,
    });
    const client = await openClient(db);
    try {
      const cpuBefore = cpuSeconds(worker.pid);
      const started = await enqueueJobdeck(client, jobs, flowOf(keys));
      while ((await client.query(REMAINING_SQL.jobdeck)).rowCount !== 0) {
        if (worker.child.exitCode !== null)
          throw new Error(`jobdeck-worker exited:\n${worker.output().slice(-2000)}`);
        await sleep(POLL_MS);
      }
      const seconds = nsToMs(nowNs() - started) / 1000;
      const cpu = cpuSeconds(worker.pid) - cpuBefore;
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "jobs" WHERE "status" = 'completed'`,
      );
      if (rows[0]?.n !== jobs) throw new Error(`jobdeck completed ${rows[0]?.n} of ${jobs} jobs`);
      if (variant === "limited") await assertLimitsHeld(client);
      return { jobsPerSecond: jobs / seconds, seconds, cpuMicrosPerJob: (cpu * 1e6) / jobs };
    } finally {
      await client.end();
      await worker.stop();
    }
  } finally {
    await db.drop();
  }
}

/** R10: no-op jobs/s of a queue limited per key and in total ÷ the same jobs with no limits. */
export const limitedThroughputTarget: Target = {
  id: "R10",
  title:
    "No-op jobs/s on PostgreSQL with 10,000 keys at perKeyConcurrency 1 and a queue concurrency of 8 ÷ the same jobs with no limits (same worker)",
  goal: "≥ 0.8×",
  providers: [],
  unavailable: (ctx) =>
    ctx.reachable.includes("postgresql") ? undefined : "needs PostgreSQL, which this run does not reach",
  async run(ctx) {
    const { jobs, keys, rounds } = ctx.mode.flow;
    const runs: Record<Variant, Round[]> = { limited: [], open: [] };
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so neither always meets a machine warmed (or loaded) by the other.
      const order: Variant[] = i % 2 === 0 ? ["limited", "open"] : ["open", "limited"];
      for (const variant of order) runs[variant].push(await runRound(ctx, variant, jobs, keys));
      ctx.log(
        `  round ${i + 1}/${rounds}: limited ${runs.limited[i]!.jobsPerSecond.toFixed(0)} jobs/s, no limits ${runs.open[i]!.jobsPerSecond.toFixed(0)} jobs/s`,
      );
    }
    const ratios = runs.limited.map((r, i) => r.jobsPerSecond / runs.open[i]!.jobsPerSecond);
    const value = spread(ratios);
    const perSecond = (list: Round[]) => list.map((r) => round(r.jobsPerSecond, 0));
    const cpu = (list: Round[]) => list.map((r) => round(r.cpuMicrosPerJob, 0));
    const measurement: Measurement = {
      label: "PostgreSQL: limited ÷ no limits, jobs/s",
      provider: "postgresql",
      unit: "×",
      value,
      goal: GOAL,
      isMet: meets(value.median, GOAL),
      rounds: {
        ratio: ratios.map((r) => round(r, 3)),
        "limited jobs/s": perSecond(runs.limited),
        "no limits jobs/s": perSecond(runs.open),
        "limited worker CPU µs/job": cpu(runs.limited),
        "no limits worker CPU µs/job": cpu(runs.open),
      },
      extra: {
        "limited jobs/s (median)": round(spread(runs.limited.map((r) => r.jobsPerSecond)).median, 0),
        "no limits jobs/s (median)": round(spread(runs.open.map((r) => r.jobsPerSecond)).median, 0),
        "worker CPU µs/job, limited ÷ no limits (median)": round(
          spread(runs.limited.map((r, i) => r.cpuMicrosPerJob / runs.open[i]!.cpuMicrosPerJob)).median,
          2,
        ),
      },
      command: commandFor(ctx.mode, "R10"),
    };
    return {
      id: "R10",
      title: this.title,
      goal: this.goal,
      status: statusOf([measurement]),
      measurements: [measurement],
      notes: [
        `${jobs.toLocaleString("en")} no-op jobs per round in one queue, job n with key n mod ${keys.toLocaleString("en")} (so in id order the keys take turns), ${rounds} pair${rounds === 1 ? "" : "s"} of rounds, the order alternating. Each round is R5's: a fresh database, jobdeck's worker (worker-main.js, WORKER_CONCURRENCY=${WORKER_CONCURRENCY}, pinned to the server core) started and idle, all jobs committed in one transaction, clocked from COMMIT until none is pending or running.`,
        `"Limited": the queue set to concurrency ${R10_LIMITS.concurrency} and perKeyConcurrency ${R10_LIMITS.perKeyConcurrency} through the API's putQueueSettings before the worker starts, so every claim takes the limited path (a walk over the keys); after the round the finished rows are checked: no two jobs of a key overlapped and never more than ${R10_LIMITS.concurrency} ran at once. "No limits": the same queue without settings (the open path).`,
      ],
    };
  },
};
