import { randomUUID } from "node:crypto";
import { makeWorkerUtils } from "graphile-worker";
import { openJobdeckStore } from "../api-dist.js";
import { CONTENDERS, JOBDECK_ENV, NOOP_JOB_TYPE, type ContenderId } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase, type Provider } from "../databases.js";
import type { Running } from "../processes.js";
import { nowNs, nsToMs, startTimes } from "../queues.js";
import { quantile, round, spread, type Spread } from "../stats.js";
import { BENCH_JWT_SECRET, benchToken } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const SQLITE_GOAL = { op: "<=", value: 3 } as const;
const RATIO_GOAL = { op: "<=", value: 1 } as const;
/** Jobs run before the first round: connections opened, code compiled, caches warm. */
const WARMUP_JOBS = 20;
const START_TIMEOUT_MS = 10_000;

type Case = {
  name: string;
  provider: Provider;
  contender: ContenderId;
  /** Enqueues job n; resolves once the enqueuer has its answer. */
  enqueue(n: number): Promise<void>;
  close(): Promise<void>;
};

type Timed = { latencyMs: number[]; enqueueMs: number[] };

/**
 * The three cases, each on a fresh database with its worker on the server core. "Enqueue" is the
 * call an application makes: jobdeck on SQLite through POST /v1/jobs to the server whose worker
 * shares its process (the only way its worker hears of a new job at once on SQLite); jobdeck on
 * PostgreSQL through its job store (what POST /v1/jobs runs once the request is parsed), the
 * worker a separate process told by NOTIFY; graphile-worker through its addJob.
 */
async function openCase(
  ctx: BenchContext,
  name: string,
  provider: Provider,
  contender: ContenderId,
  databases: BenchDatabase[],
): Promise<Case & { worker: Running }> {
  const db = await createBenchDatabase(provider, "r6");
  databases.push(db);
  const worker = await CONTENDERS[contender].start(db, {
    core: ctx.cores.server,
    profileDir: ctx.profileDir,
  });
  const common = { name, provider, contender, worker };
  if (contender === "jobdeck-with-worker") {
    const headers = { authorization: `Bearer ${benchToken("bench")}`, "content-type": "application/json" };
    return {
      ...common,
      enqueue: async (n) => {
        const response = await fetch(`${worker.ready}/v1/jobs`, {
          method: "POST",
          headers,
          body: JSON.stringify({ type: NOOP_JOB_TYPE, payload: { n, report: true } }),
        });
        if (response.status !== 201)
          throw new Error(`POST /v1/jobs answered ${response.status}: ${await response.text()}`);
      },
      close: () => worker.stop(),
    };
  }
  if (contender === "jobdeck-worker") {
    const { store, close } = await openJobdeckStore({
      ...JOBDECK_ENV,
      LOG_LEVEL: "silent",
      DATABASE_URL: db.url,
      JWT_SECRET: BENCH_JWT_SECRET,
    });
    return {
      ...common,
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
  const utils = await makeWorkerUtils({ connectionString: db.url });
  return {
    ...common,
    enqueue: async (n) => {
      await utils.addJob("noop", { n, report: true });
    },
    close: async () => {
      await utils.release();
      await worker.stop();
    },
  };
}

/**
 * Jobs first..first+count-1 one after the other: each is enqueued once the previous one has
 * started. Latency is from just before the enqueue call to the first line of the job's handler,
 * both on CLOCK_MONOTONIC (one clock for every process on the machine).
 */
async function runSequence(
  c: Case & { worker: Running },
  starts: ReturnType<typeof startTimes>,
  first: number,
  count: number,
): Promise<Timed> {
  const timed: Timed = { latencyMs: [], enqueueMs: [] };
  for (let n = first; n < first + count; n++) {
    const before = nowNs();
    await c.enqueue(n);
    const enqueued = nowNs();
    const started = await starts.next(n, START_TIMEOUT_MS);
    timed.latencyMs.push(nsToMs(started - before));
    timed.enqueueMs.push(nsToMs(enqueued - before));
  }
  return timed;
}

const percentile = (values: number[], q: number) =>
  quantile(
    [...values].sort((a, b) => a - b),
    q,
  );

/** The median column shows the p50 over every job; the spread is that of the rounds' p50s. */
function latencySpread(rounds: Timed[]): Spread {
  const all = rounds.flatMap((r) => r.latencyMs);
  return { ...spread(rounds.map((r) => percentile(r.latencyMs, 0.5))), median: percentile(all, 0.5) };
}

/** R6: enqueue-to-start latency of sequential jobs; jobdeck on both databases, graphile-worker on PostgreSQL. */
export const enqueueLatencyTarget: Target = {
  id: "R6",
  title: "Enqueue-to-start latency, 1,000 sequential jobs: p50 / p99",
  goal: "SQLite p50 ≤ 3 ms; PostgreSQL p50 ≤ 1.0× graphile-worker's",
  providers: [],
  unavailable: (ctx) => (ctx.reachable.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const { latencyJobs, latencyRounds } = ctx.mode.worker;
    const perRound = Math.ceil(latencyJobs / latencyRounds);
    const databases: BenchDatabase[] = [];
    const cases: (Case & { worker: Running; starts: ReturnType<typeof startTimes>; rounds: Timed[] })[] = [];
    try {
      const wanted: [string, Provider, ContenderId][] = [
        ["jobdeck SQLite", "sqlite", "jobdeck-with-worker"],
        ["jobdeck PostgreSQL", "postgresql", "jobdeck-worker"],
        ["graphile-worker PostgreSQL", "postgresql", "graphile-worker"],
      ];
      for (const [name, provider, contender] of wanted) {
        if (!ctx.reachable.includes(provider)) continue;
        ctx.log(`  starting ${name}`);
        const c = await openCase(ctx, name, provider, contender, databases);
        cases.push({ ...c, starts: startTimes(c.worker), rounds: [] });
      }
      for (const c of cases) await runSequence(c, c.starts, -WARMUP_JOBS, WARMUP_JOBS);
      for (let i = 0; i < latencyRounds; i++) {
        for (const c of cases) c.rounds.push(await runSequence(c, c.starts, i * perRound, perRound));
        ctx.log(
          `  round ${i + 1}/${latencyRounds}: p50 ${cases.map((c) => `${c.name} ${percentile(c.rounds[i]!.latencyMs, 0.5).toFixed(2)} ms`).join(", ")}`,
        );
      }
    } finally {
      for (const c of cases)
        await c.close().catch((e: unknown) => ctx.log(`  could not stop ${c.name}: ${String(e)}`));
      for (const db of databases)
        await db.drop().catch((e: unknown) => ctx.log(`  could not drop ${db.location}: ${String(e)}`));
    }

    const command = commandFor(ctx.mode, "R6");
    const figures = (c: (typeof cases)[number]) => {
      const all = c.rounds.flatMap((r) => r.latencyMs);
      return {
        [`${c.name} p50 ms`]: round(percentile(all, 0.5), 2),
        [`${c.name} p99 ms`]: round(percentile(all, 0.99), 2),
        [`${c.name} enqueue call p50 ms`]: round(
          percentile(
            c.rounds.flatMap((r) => r.enqueueMs),
            0.5,
          ),
          2,
        ),
      };
    };
    const measurements: Measurement[] = [];
    const sqlite = cases.find((c) => c.provider === "sqlite");
    if (sqlite) {
      const value = latencySpread(sqlite.rounds);
      measurements.push({
        label: "SQLite: jobdeck enqueue→start p50 (POST /v1/jobs, worker in the server's process)",
        provider: "sqlite",
        unit: "ms",
        value,
        goal: SQLITE_GOAL,
        isMet: meets(value.median, SQLITE_GOAL),
        rounds: { "p50 ms": sqlite.rounds.map((r) => round(percentile(r.latencyMs, 0.5), 2)) },
        extra: figures(sqlite),
        command,
      });
    }
    const jobdeck = cases.find((c) => c.contender === "jobdeck-worker");
    const graphile = cases.find((c) => c.contender === "graphile-worker");
    if (jobdeck && graphile) {
      const p50s = (c: typeof jobdeck) => c.rounds.map((r) => percentile(r.latencyMs, 0.5));
      const ratios = p50s(jobdeck).map((p, i) => p / p50s(graphile)[i]!);
      const value = spread(ratios);
      measurements.push({
        label: "PostgreSQL: jobdeck ÷ graphile-worker, enqueue→start p50",
        provider: "postgresql",
        unit: "×",
        value,
        goal: RATIO_GOAL,
        isMet: meets(value.median, RATIO_GOAL),
        rounds: {
          ratio: ratios.map((r) => round(r, 3)),
          "jobdeck p50 ms": p50s(jobdeck).map((p) => round(p, 2)),
          "graphile-worker p50 ms": p50s(graphile).map((p) => round(p, 2)),
        },
        extra: { ...figures(jobdeck), ...figures(graphile) },
        command,
      });
    }
    return {
      id: "R6",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `${perRound * latencyRounds} sequential no-op jobs per case (${latencyRounds} round${latencyRounds === 1 ? "" : "s"} of ${perRound}, the cases taking turns; ${WARMUP_JOBS} warm-up jobs each first, not counted). Each job is enqueued once the previous one has started.`,
        "Latency = from just before the enqueue call (in the bench's process) to the first line of the job's handler (in the worker's process), both read from CLOCK_MONOTONIC, which every process on the machine shares. The enqueue call's own duration is in the table.",
        "Enqueue: jobdeck on SQLite through POST /v1/jobs (HTTP included), to the server with its worker in the same process — the only layout in which an SQLite worker hears of a job at once; jobdeck on PostgreSQL through its job store (what POST /v1/jobs runs once the request is authorised and parsed), with `npm run worker` as a separate process woken by NOTIFY; graphile-worker through `addJob` from its WorkerUtils, its worker a separate process. Workers pinned to the server core, the bench on the other.",
        "SQLite's median column is the p50 over every job, its spread that of the rounds' p50s; PostgreSQL's ratio is per round (jobdeck's p50 ÷ graphile-worker's).",
      ],
    };
  },
};
