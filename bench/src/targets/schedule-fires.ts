import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { openJobdeckSchedules } from "../api-dist.js";
import { JOBDECK_ENV, jobdeckEntry } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type Provider } from "../databases.js";
import { workDir } from "../paths.js";
import { sleep, startServer, type Running } from "../processes.js";
import { quantile, round, spread } from "../stats.js";
import { BENCH_JWT_SECRET } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

/** A type no process has loaded: the jobs stay pending, so only the firing is measured. */
const UNRUN_TYPE = "bench.scheduled";
const SECOND = 1_000;
const GOAL_P99_MS = 500;

const SIZES = {
  full: { schedules: 1_000, seconds: 60 },
  quick: { schedules: 1_000, seconds: 8 },
  smoke: { schedules: 50, seconds: 3 },
} as const;

type Figures = { lags: number[]; jobs: number; duplicates: number; misses: number; expected: number };

/** jobdeck's worker process (worker-main.js), which fires schedules. */
const startFirer = (ctx: BenchContext, url: string): Promise<Running> =>
  startServer(
    "jobdeck-schedule-firer",
    ctx.cores.server,
    process.execPath,
    [join(dirname(jobdeckEntry), "worker-main.js")],
    {
      env: {
        ...JOBDECK_ENV,
        WORKER_CONCURRENCY: "1",
        DATABASE_URL: url,
        JWT_SECRET: BENCH_JWT_SECRET,
        DATA_DIR: join(workDir, "data"),
      },
      readyPattern: /jobdeck worker (\S+) is running/,
    },
  );

async function measure(ctx: BenchContext, provider: Provider): Promise<Figures> {
  const size = SIZES[ctx.mode.name];
  const db = await createBenchDatabase(provider, "r12");
  const jobdeck = await openJobdeckSchedules({
    ...JOBDECK_ENV,
    LOG_LEVEL: "silent",
    DATABASE_URL: db.url,
    JWT_SECRET: BENCH_JWT_SECRET,
  });
  let firer: Running | undefined;
  try {
    firer = await startFirer(ctx, db.url);
    // Every schedule's first fire time is a whole second after all are written and the firer has settled.
    // Writing 1,000 took 1–3 s on a busy 2-core machine: 4 ms each leaves room.
    const leadMs = 3 * SECOND + size.schedules * 4;
    const first = Math.ceil((Date.now() + leadMs) / SECOND) * SECOND;
    const ids = Array.from({ length: size.schedules }, () => randomUUID());
    // A few at a time: the runtime's writer has a pool of connections on PostgreSQL.
    for (let from = 0; from < ids.length; from += 8) {
      await Promise.all(
        ids.slice(from, from + 8).map((id, k) =>
          jobdeck.insertSchedule({
            id,
            userId: `bench-${(from + k) % 10}`,
            settings: {
              name: `every-second-${from + k}`,
              cron: "* * * * * *",
              timezone: "UTC",
              type: UNRUN_TYPE,
              payload: JSON.stringify({ i: from + k }),
              queue: "default",
              priority: 0,
              overlap: "allow",
              catchUp: "latest",
            },
            nextRunAt: new Date(first),
          }),
        ),
      );
    }
    if (Date.now() > first) throw new Error("R12: writing the schedules took longer than their lead time");
    const last = first + (size.seconds - 1) * SECOND;
    // Run past the last fire time by a margin, then stop the firer as an operator would.
    await sleep(last - Date.now() + 2 * SECOND);
    await firer.stop();
    firer = undefined;
    const rows = await jobdeck.read<{ scheduleId: string; runAt: number; createdAt: number }>(
      `SELECT "scheduleId", "runAt", "createdAt" FROM "jobs" WHERE "scheduleId" IS NOT NULL`,
    );
    const seen = new Set<string>();
    let duplicates = 0;
    const lags: number[] = [];
    for (const row of rows) {
      const key = `${row.scheduleId}|${Number(row.runAt)}`;
      if (seen.has(key)) duplicates++;
      seen.add(key);
      if (Number(row.runAt) <= last) lags.push(Number(row.createdAt) - Number(row.runAt));
    }
    let misses = 0;
    for (const id of ids)
      for (let at = first; at <= last; at += SECOND) if (!seen.has(`${id}|${at}`)) misses++;
    return { lags, jobs: rows.length, duplicates, misses, expected: ids.length * size.seconds };
  } finally {
    await firer?.stop();
    await jobdeck.close();
    await db.drop().catch((e: unknown) => ctx.log(`  could not drop ${db.location}: ${String(e)}`));
  }
}

/** R12: 1,000 schedules firing every second for a minute: no duplicate, no miss, fire lag p50/p99. */
export const scheduleFiresTarget: Target = {
  id: "R12",
  title: "1,000 schedules firing every second for a minute: duplicates, misses, fire lag p50 / p99",
  goal: `zero duplicates, zero misses, fire lag (job createdAt − fire time) p99 ≤ ${GOAL_P99_MS} ms`,
  // Fresh databases of its own (ctx.reachable), not the seeded ones.
  providers: [],
  unavailable: () => undefined,
  async run(ctx) {
    const measurements: Measurement[] = [];
    const size = SIZES[ctx.mode.name];
    for (const provider of ctx.reachable) {
      ctx.log(`  ${provider}`);
      const figures = await measure(ctx, provider);
      const sorted = [...figures.lags].sort((a, b) => a - b);
      const p99 = quantile(sorted, 0.99);
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      const isClean = figures.duplicates === 0 && figures.misses === 0;
      ctx.log(
        `  ${provider}: ${figures.jobs} jobs, ${figures.duplicates} duplicates, ${figures.misses} misses, lag p50 ${quantile(sorted, 0.5)} ms, p99 ${p99} ms`,
      );
      measurements.push(
        {
          label: `${name}: fire lag (job createdAt − fire time), p99`,
          provider,
          unit: "ms",
          value: spread([p99]),
          goal: { op: "<=", value: GOAL_P99_MS },
          isMet: meets(p99, { op: "<=", value: GOAL_P99_MS }) && isClean,
          extra: {
            "p50 ms": round(quantile(sorted, 0.5), 1),
            "max ms": round(sorted.at(-1) ?? 0, 1),
            jobs: figures.jobs,
            duplicates: figures.duplicates,
            misses: figures.misses,
          },
          command: commandFor(ctx.mode, "R12"),
        },
        {
          label: `${name}: duplicates + misses over ${figures.expected.toLocaleString("en")} fire times`,
          provider,
          unit: "rows",
          value: spread([figures.duplicates + figures.misses]),
          goal: { op: "<=", value: 0 },
          isMet: isClean,
          command: commandFor(ctx.mode, "R12"),
        },
      );
    }
    return {
      id: "R12",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `Per database, a fresh database and one worker process (worker-main.js, WORKER_CONCURRENCY 1, pinned to the server core), which runs the firing loop every such process runs. ${size.schedules.toLocaleString("en")} schedules (cron "* * * * * *", ten owners) are written through the API's own insertSchedule with their first fire time a few seconds ahead; the process fires them for ${size.seconds} s and is then stopped. The jobs are of a type no process runs, so they stay pending and only the firing is measured.`,
        "From the jobs table: a duplicate is a second job with the same (scheduleId, runAt); a miss is a (schedule, whole second) in the run with no job. Lag = the job's createdAt − its runAt (the fire time), over every fire time of the run.",
      ],
    };
  },
};
