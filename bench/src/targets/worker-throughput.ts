import type pg from "pg";
import { CONTENDERS, WORKER_CONCURRENCY, type ContenderId } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase } from "../databases.js";
import { cpuSeconds, sleep } from "../processes.js";
import { enqueueGraphile, enqueueJobdeck, nowNs, nsToMs, openClient, REMAINING_SQL } from "../queues.js";
import { round, spread } from "../stats.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 1 } as const;
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
 * One round: a fresh database, the worker started on it and idle, `count` jobs committed at once,
 * and the clock from that COMMIT to the moment the bench sees no job left.
 */
async function runRound(ctx: BenchContext, queue: Queue, count: number): Promise<Round> {
  const db = await createBenchDatabase("postgresql", "r5");
  try {
    const worker = await CONTENDERS[queue.contender].start(db, {
      core: ctx.cores.server,
      profileDir: ctx.profileDir,
    });
    const client = await openClient(db);
    try {
      const cpuBefore = cpuSeconds(worker.pid);
      const started = await queue.enqueue(client, count);
      while ((await client.query(queue.remainingSql)).rowCount !== 0) {
        if (worker.child.exitCode !== null)
          throw new Error(`${queue.contender} exited:\n${worker.output().slice(-2000)}`);
        await sleep(POLL_MS);
      }
      const seconds = nsToMs(nowNs() - started) / 1000;
      const cpu = cpuSeconds(worker.pid) - cpuBefore;
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
      await worker.stop();
    }
  } finally {
    await db.drop();
  }
}

/** R5: no-op jobs per second on PostgreSQL, jobdeck's worker ÷ graphile-worker, alternately. */
export const workerThroughputTarget: Target = {
  id: "R5",
  title:
    "No-op jobs run per second on PostgreSQL: jobdeck's worker ÷ graphile-worker (same database, same concurrency, 100,000 jobs)",
  goal: "≥ 1.0×",
  providers: [],
  unavailable: (ctx) =>
    ctx.reachable.includes("postgresql") ? undefined : "needs PostgreSQL, which this run does not reach",
  async run(ctx) {
    const { jobs, rounds } = ctx.mode.worker;
    const runs: Record<"jobdeck" | "graphile", Round[]> = { jobdeck: [], graphile: [] };
    for (let i = 0; i < rounds; i++) {
      for (const name of ["jobdeck", "graphile"] as const)
        runs[name].push(await runRound(ctx, QUEUES[name], jobs));
      ctx.log(
        `  round ${i + 1}/${rounds}: jobdeck ${runs.jobdeck[i]!.jobsPerSecond.toFixed(0)} jobs/s, graphile-worker ${runs.graphile[i]!.jobsPerSecond.toFixed(0)} jobs/s`,
      );
    }
    const ratios = runs.jobdeck.map((r, i) => r.jobsPerSecond / runs.graphile[i]!.jobsPerSecond);
    const value = spread(ratios);
    const perSecond = (list: Round[]) => list.map((r) => round(r.jobsPerSecond, 0));
    const cpu = (list: Round[]) => list.map((r) => round(r.cpuMicrosPerJob, 0));
    const measurement: Measurement = {
      label: "PostgreSQL: jobdeck ÷ graphile-worker, jobs/s",
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
    return {
      id: "R5",
      title: this.title,
      goal: this.goal,
      status: statusOf([measurement]),
      measurements: [measurement],
      notes: [
        `${jobs.toLocaleString("en")} no-op jobs per round, ${rounds} round${rounds === 1 ? "" : "s"} of jobdeck then graphile-worker. Each round: a fresh database, the worker started (pinned to the server core, WORKER_CONCURRENCY=${WORKER_CONCURRENCY} for both) and idle, then all jobs committed in one transaction — jobdeck's rows with their "created" events and NOTIFYs as its API writes them, graphile-worker's through its add_jobs — and the clock runs from that COMMIT until the bench (polling every ${POLL_MS} ms) sees no job pending or running. Enqueueing is not timed.`,
        "jobdeck runs as `npm run worker` does (worker-main.js, its default poll and lease settings); graphile-worker 0.17.3 with its defaults. Both handlers do nothing: jobdeck's `bench.noop` type still validates its payload and stores a null result, as every jobdeck job does.",
        "Worker CPU per job is the worker process's own time from /proc; PostgreSQL's share is not in it.",
      ],
    };
  },
};
