import { commandFor } from "../context.js";
import { dashboardUnavailable } from "../dashboard/session.js";
import { cursorKeyOf, openDirect, rowAt } from "../direct-sql.js";
import { loadCursorCodec } from "../api-dist.js";
import { get, post } from "../http.js";
import { runThroughput } from "../load/run-load.js";
import type { LoadRequest } from "../load/spec.js";
import { rssMb, sleep } from "../processes.js";
import { round, spread } from "../stats.js";
import { measureDashboardHeap } from "./dashboard-heap.js";
import { meets, statusOf, type Measurement, type Target, type TargetResult } from "./types.js";

const REST_GOAL = { op: "<=", value: 120 } as const;
/** RSS at rest: this many samples, a second apart, from `restSeconds` after boot. */
const REST_SAMPLES = 3;
const GROWTH_GOAL = { op: "<=", value: 10 } as const;

const single = (value: number) => spread([value]);

/** Garbage collection swings single RSS samples by a third; a leak moves the trend. */
export const smoothingSeconds = (firstWindowSeconds: number) => Math.min(30, firstWindowSeconds / 2);

/** RSS "at t": the median of the per-second samples over the `window` seconds that end at t. */
export function rssAround(points: [number, number][], t: number, window: number): number {
  const inWindow = points.filter(([s]) => s > t - window - 0.5 && s <= t + 0.5).map(([, mb]) => mb);
  return spread(inWindow.length > 0 ? inWindow : [points.at(-1)![1]]).median;
}

/**
 * R9 (server part): jobdeck's RSS at rest after boot, then under a mixed load (lists with and
 * without filters, a deep cursor, single jobs, creations, job types), sampled every second: the
 * RSS at the end against the RSS at the end of the first window. Growth past that is a leak.
 * Then the dashboard part: the browser's JS heap with the whole list loaded (dashboard-heap.ts).
 */
export const memoryTarget: Target = {
  id: "R9",
  title:
    "Server RSS at rest, and RSS after the whole mixed load ÷ after its first window; dashboard JS heap with 10,000 rows loaded",
  goal: "at rest ≤ 120 MB (every sample); growth ≤ 10 %; dashboard heap ≤ 60 MB",
  providers: ["sqlite", "postgresql"],
  unavailable: (ctx) => (ctx.providers.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const { memory } = ctx.mode;
    const measurements: Measurement[] = [];
    const series: NonNullable<TargetResult["series"]> = [];
    const codec = await loadCursorCodec();
    const users = ctx.usersByRows.slice(0, 20).map((u) => u.userId);
    const whale = users[0]!;
    // The databases side by side, each with its own server and load: RSS is not a speed, and the
    // full run's 5 minutes a database were 10 of its 60 (each server gets half the load's core).
    const measureOne = async (provider: (typeof ctx.providers)[number]) => {
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      const db = ctx.databases[provider]!;
      const server = await ctx.freshServer(provider, "jobdeck");
      try {
        await sleep(memory.restSeconds * 1000);
        const restSamples: number[] = [];
        for (let i = 0; i < REST_SAMPLES; i++) {
          if (i > 0) await sleep(1000);
          restSamples.push(rssMb(server.pid));
        }
        const atRest = restSamples.at(-1)!;
        const rest = spread(restSamples.map((mb) => round(mb, 1)));

        const direct = await openDirect(db);
        let requests: LoadRequest[];
        try {
          const key = await cursorKeyOf(direct);
          const position = await rowAt(
            direct,
            whale,
            "createdAt",
            {},
            Math.floor(ctx.mode.plan.deepRows / 2),
          );
          const cursor = codec.encodeCursor(key, codec.cursorBinding(whale, { limit: 50 }), position!);
          const ids = await direct.all<{ id: string; userId: string }>(
            {
              sqlite: `SELECT "id", "userId" FROM "jobs" WHERE "userId" = ? ORDER BY "createdAt" DESC LIMIT 20`,
              postgresql: `SELECT "id", "userId" FROM "jobs" WHERE "userId" = $1 ORDER BY "createdAt" DESC LIMIT 20`,
            },
            [whale],
          );
          requests = users.flatMap((user, n) => [
            get("/v1/jobs?limit=50", user),
            get("/v1/jobs?limit=20&status=completed,failed&sortBy=updatedAt", user),
            get(`/v1/jobs?limit=50&cursor=${cursor}`, whale),
            get(`/v1/jobs/${ids[n % ids.length]!.id}`, whale),
            post("/v1/jobs", user, { type: "echo", payload: { message: "mixed", n } }),
            get("/v1/job-types", user),
          ]);
        } finally {
          await direct.close();
        }

        const started = Date.now();
        const points: [number, number][] = [[0, atRest]];
        let isRunning = true;
        const sampler = (async () => {
          while (isRunning) {
            await sleep(1000);
            points.push([round((Date.now() - started) / 1000, 1), round(rssMb(server.pid), 1)]);
          }
        })();
        ctx.log(`  R9 ${name}: ${memory.totalSeconds} s of mixed load`);
        const load = await runThroughput(ctx.cores.load, {
          url: server.ready,
          connections: ctx.mode.connections,
          durationSeconds: memory.totalSeconds,
          requests,
        });
        isRunning = false;
        await sampler;
        if (load.errors > 0 || load.non2xx > 0)
          throw new Error(`R9 ${name}: ${load.errors} errors, ${load.non2xx} non-2xx`);
        const smoothing = smoothingSeconds(memory.firstWindowSeconds);
        const early = rssAround(points, memory.firstWindowSeconds, smoothing);
        const late = rssAround(points, memory.totalSeconds, smoothing);
        const peak = Math.max(...points.map((p) => p[1]));
        const growth = ((late - early) / early) * 100;
        const command = commandFor(ctx.mode, "R9");
        const mine: Measurement[] = [
          {
            label: `${name}: RSS at rest (${REST_SAMPLES} samples ${memory.restSeconds}–${memory.restSeconds + REST_SAMPLES - 1} s after boot)`,
            provider,
            unit: "MB",
            value: rest,
            goal: REST_GOAL,
            isMet: meets(rest.max, REST_GOAL),
            command,
          },
          {
            label: `${name}: RSS growth, ${memory.firstWindowSeconds} s → ${memory.totalSeconds} s of mixed load`,
            provider,
            unit: "%",
            value: single(round(growth, 1)),
            goal: GROWTH_GOAL,
            isMet: meets(growth, GROWTH_GOAL),
            extra: {
              [`median RSS ${memory.firstWindowSeconds - smoothing}–${memory.firstWindowSeconds} s (MB)`]:
                round(early, 1),
              [`median RSS ${memory.totalSeconds - smoothing}–${memory.totalSeconds} s (MB)`]: round(late, 1),
              "peak RSS (MB)": round(peak, 1),
              "mixed load req/s": round(load.requestsPerSecond, 0),
              requests: load.ok,
            },
            command,
          },
        ];
        return { measurements: mine, series: { label: name, points } };
      } finally {
        await server.stop();
      }
    };
    for (const one of await Promise.all(ctx.providers.map(measureOne))) {
      measurements.push(...one.measurements);
      series.push(one.series);
    }
    const unavailable = dashboardUnavailable();
    let heapNote = `Dashboard heap: not measured: ${unavailable}.`;
    if (!unavailable) {
      ctx.log(`  R9: dashboard heap with ${ctx.mode.dashboard.rows.toLocaleString("en")} rows`);
      const heap = await measureDashboardHeap(ctx);
      measurements.push(heap.measurement);
      heapNote = heap.note;
    }
    return {
      id: "R9",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      series,
      notes: [
        `A fresh jobdeck process per database, the databases measured side by side (both servers on the server core, both loads on the load core). Mixed load at full speed (${ctx.mode.connections} connections): page 1, a filtered page sorted by updatedAt, a page ${Math.floor(ctx.mode.plan.deepRows / 2).toLocaleString("en")} rows deep, one job by id, a creation and the job types, for 20 users in turn. RSS from /proc every second; growth compares the median RSS of the ${smoothingSeconds(memory.firstWindowSeconds)} s ending at the first window with that of the last ${smoothingSeconds(memory.firstWindowSeconds)} s (garbage collection swings single samples by a third).`,
        ctx.mode.name === "full"
          ? "Full mode: 5 minutes of load, compared with the first minute, as the target says."
          : `${ctx.mode.name} mode shortens this: ${memory.totalSeconds} s of load compared with the first ${memory.firstWindowSeconds} s. Only the full run answers the 5-minute question.`,
        heapNote,
      ],
    };
  },
};
