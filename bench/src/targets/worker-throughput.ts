import type pg from "pg";
import { CONTENDERS, WORKER_CONCURRENCY, type ContenderId } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase } from "../databases.js";
import { cpuSeconds, sleep, type Running } from "../processes.js";
import { enqueueGraphile, enqueueJobdeck, nowNs, nsToMs, openClient, REMAINING_SQL } from "../queues.js";
import { round, spread } from "../stats.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 1.2 } as const;
/** Worker processes per contender: one, and two sharing the same queue (each at the same concurrency). */
const PROCESS_COUNTS = [1, 2] as const;
/** How often the bench asks whether jobs remain: small beside a run of several seconds. */
const POLL_MS = 25;

type Queue = {
  contender: ContenderId;
  enqueue(client: pg.Client, count: number): Promise<bigint>;
  remainingSql: string;
};

const QUEUES: Record<"jobdeck" | "graphile", Queue> = {
  jobdeck: { contender: "jobdeck-worker", enqueue: enqueueJobdeck, remainingSql: REMAINING_SQL.jobdeck },
  graphile: { contender: "graphile-worker", enqueue: enqueueGraphile, remainingSql: REMAINING_SQL.graphile },
};

type Round = { jobsPerSecond: number; seconds: number; cpuMicrosPerJob: number };

/**
 * One round: a fresh database, `processes` workers started on it (one after the other, so that
 * their schema checks do not race) and idle, `count` jobs committed at once, and the clock from that
 * COMMIT to the moment the bench sees no job left.
 */
async function runRound(ctx: BenchContext, queue: Queue, count: number, processes: number): Promise<Round> {
  const db = await createBenchDatabase("postgresql", "r5");
  const workers: Running[] = [];
  try {
    for (let p = 0; p < processes; p++)
      workers.push(
        await CONTENDERS[queue.contender].start(db, { core: ctx.cores.server, profileDir: ctx.profileDir }),
      );
    const client = await openClient(db);
    try {
      const cpuOf = () => workers.reduce((sum, w) => sum + cpuSeconds(w.pid), 0);
      const cpuBefore = cpuOf();
      const started = await queue.enqueue(client, count);
      while ((await client.query(queue.remainingSql)).rowCount !== 0) {
        const exited = workers.find((w) => w.child.exitCode !== null);
        if (exited) throw new Error(`${queue.contender} exited:\n${exited.output().slice(-2000)}`);
        await sleep(POLL_MS);
      }
      const seconds = nsToMs(nowNs() - started) / 1000;
      const cpu = cpuOf() - cpuBefore;
      // graphile-worker deletes a job only when it succeeds, so an empty queue proves them all run.
      if (queue.contender === "jobdeck-worker") {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "jobs" WHERE "status" = 'completed'`,
        );
        if (rows[0]?.n !== count) throw new Error(`jobdeck completed ${rows[0]?.n} of ${count} jobs`);
      }
      return { jobsPerSecond: count / seconds, seconds, cpuMicrosPerJob: (cpu * 1e6) / count };
    } finally {
      await client.end();
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await db.drop();
  }
}

function measurementOf(
  ctx: BenchContext,
  processes: number,
  runs: Record<"jobdeck" | "graphile", Round[]>,
): Measurement {
  const ratios = runs.jobdeck.map((r, i) => r.jobsPerSecond / runs.graphile[i]!.jobsPerSecond);
  const value = spread(ratios);
  const perSecond = (list: Round[]) => list.map((r) => round(r.jobsPerSecond, 0));
  const cpu = (list: Round[]) => list.map((r) => round(r.cpuMicrosPerJob, 0));
  const each = processes === 1 ? "1 process" : `${processes} processes`;
  return {
    label: `PostgreSQL, ${each} each: jobdeck ÷ graphile-worker, jobs/s`,
    short: each,
    provider: "postgresql",
    unit: "×",
    value,
    goal: GOAL,
    isMet: meets(value.median, GOAL),
    rounds: {
      ratio: ratios.map((r) => round(r, 3)),
      "jobdeck jobs/s": perSecond(runs.jobdeck),
      "graphile-worker jobs/s": perSecond(runs.graphile),
      "jobdeck worker CPU µs/job": cpu(runs.jobdeck),
      "graphile-worker CPU µs/job": cpu(runs.graphile),
    },
    extra: {
      "jobdeck jobs/s (median)": round(spread(runs.jobdeck.map((r) => r.jobsPerSecond)).median, 0),
      "graphile-worker jobs/s (median)": round(spread(runs.graphile.map((r) => r.jobsPerSecond)).median, 0),
      "worker CPU µs/job, jobdeck ÷ graphile-worker (median)": round(
        spread(runs.jobdeck.map((r, i) => r.cpuMicrosPerJob / runs.graphile[i]!.cpuMicrosPerJob)).median,
        2,
      ),
    },
    command: commandFor(ctx.mode, "R5"),
  };
}

/** R5: no-op jobs per second on PostgreSQL, jobdeck's worker ÷ graphile-worker, alternately. */
export const workerThroughputTarget: Target = {
  id: "R5",
  title:
    "No-op jobs run per second on PostgreSQL: jobdeck's worker ÷ graphile-worker (same database, same concurrency, 100,000 jobs), with 1 and with 2 worker processes each",
  goal: "≥ 1.2×",
  providers: [],
  unavailable: (ctx) =>
    ctx.reachable.includes("postgresql") ? undefined : "needs PostgreSQL, which this run does not reach",
  async run(ctx) {
    const { jobs, rounds } = ctx.mode.worker;
    const runs = PROCESS_COUNTS.map(() => ({ jobdeck: [] as Round[], graphile: [] as Round[] }));
    for (let i = 0; i < rounds; i++) {
      for (const [p, processes] of PROCESS_COUNTS.entries()) {
        for (const name of ["jobdeck", "graphile"] as const)
          runs[p]![name].push(await runRound(ctx, QUEUES[name], jobs, processes));
        ctx.log(
          `  round ${i + 1}/${rounds}, ${processes} process${processes === 1 ? "" : "es"} each: jobdeck ${runs[p]!.jobdeck[i]!.jobsPerSecond.toFixed(0)} jobs/s, graphile-worker ${runs[p]!.graphile[i]!.jobsPerSecond.toFixed(0)} jobs/s`,
        );
      }
    }
    const measurements = PROCESS_COUNTS.map((processes, p) => measurementOf(ctx, processes, runs[p]!));
    return {
      id: "R5",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `${jobs.toLocaleString("en")} no-op jobs per round, ${rounds} round${rounds === 1 ? "" : "s"}; in each, jobdeck then graphile-worker with one worker process each, then jobdeck then graphile-worker with ${PROCESS_COUNTS.at(-1)} processes each (jobdeck: ${PROCESS_COUNTS.at(-1)} \`worker-main\` processes; graphile-worker: ${PROCESS_COUNTS.at(-1)} runner processes on the same schema). Each run: a fresh database, the workers started (all pinned to the server core, so one process or two get the same CPU and the second figure shows what two claimers contending for one queue cost; WORKER_CONCURRENCY=${WORKER_CONCURRENCY} per process for both) and idle, then all jobs committed in one transaction — jobdeck's rows with their "created" events and NOTIFYs as its API writes them, graphile-worker's through its add_jobs — and the clock runs from that COMMIT until the bench (polling every ${POLL_MS} ms) sees no job pending or running. Enqueueing is not timed.`,
        "jobdeck runs as `npm run worker` does (worker-main.js, its default poll and lease settings); graphile-worker 0.17.3 with its defaults. Both handlers do nothing: jobdeck's `bench.noop` type still validates its payload and stores a null result, as every jobdeck job does.",
        "Worker CPU per job is the worker processes' own time from /proc (summed over both when there are two); PostgreSQL's share is not in it.",
      ],
    };
  },
};
