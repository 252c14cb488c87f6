import { setTimeout as delay } from "node:timers/promises";
import { ScheduleResponseSchema, type Schedule } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { assertWorkerBuilt, startWorkerProcess, type RunningProcess } from "./support/processes.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

/**
 * Exactly one job per (schedule, fire time) across processes (§12): three worker processes (the
 * built `npm run worker`) fire the same every-second schedules on one database, and one of them is
 * SIGKILLed in the middle, possibly inside a firing pass. The record — every job's scheduleId,
 * runAt and createdAt — must show no fire time twice, none missing, and every job made at or after
 * its fire time within a generous bound.
 */

const providers = await testProviders();
const SCHEDULES = 20;
const SECOND = 1_000;
/** Generous: one second is the spec's bound while processes run; a killed pass waits for its locks. */
const LAG_BOUND_MS = 5_000;

describe.each(providers)("schedules across worker processes on %s", (provider) => {
  let server: TestServer;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    assertWorkerBuilt(["schedules/scheduler.ts", "db/schedule-store/fire.ts"]);
    // The API server runs no schedules itself: only the three workers do.
    server = await startTestServer(provider, { WORKER_CONCURRENCY: "0", RATE_LIMIT_PER_MINUTE: "100000" });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await server?.close();
  });

  it("makes each fire time's job exactly once, whatever process fires it, with one SIGKILLed", async () => {
    const token = server.token("alice");
    const schedules: Schedule[] = [];
    for (let i = 0; i < SCHEDULES; i++) {
      const response = await server.request(
        "/v1/schedules",
        postJson({ name: `tick-${i}`, cron: "* * * * * *", type: "echo", payload: { i } }, token),
      );
      expect(response.status, response.text).toBe(201);
      schedules.push(ScheduleResponseSchema.parse(response.body).data);
    }
    const env = { WORKER_CONCURRENCY: "1", LOG_LEVEL: "error" };
    workers.push(...(await Promise.all([1, 2, 3].map(() => startWorkerProcess(server.database.url, env)))));
    const startedAt = Date.now();
    await delay(3_000);
    workers[0]!.child.kill("SIGKILL");
    const killedAt = Date.now();
    await workers[0]!.exited;
    await delay(4_000);
    // Stop the others as an operator would; then nothing fires any more.
    for (const worker of workers.slice(1)) worker.child.kill("SIGTERM");
    await Promise.all(workers.slice(1).map((worker) => worker.exited));
    const stoppedAt = Date.now();

    const jobs = await server.prisma.job.findMany({
      where: { scheduleId: { in: schedules.map((s) => s.id) } },
      select: { scheduleId: true, runAt: true, createdAt: true },
    });
    expect(jobs.length).toBeGreaterThan(SCHEDULES * 4);
    for (const schedule of schedules) {
      const mine = jobs
        .filter((job) => job.scheduleId === schedule.id)
        .map((job) => ({ runAt: job.runAt.getTime(), createdAt: job.createdAt.getTime() }))
        .sort((a, b) => a.runAt - b.runAt);
      const runAts = mine.map((job) => job.runAt);
      // No duplicates.
      expect(new Set(runAts).size, schedule.name).toBe(runAts.length);
      // No misses: every second from the first fire time that passed while the workers ran (the
      // schedule was created before they started: earlier times were missed, and catchUp made one
      // job for the latest of them) up to the last one that passed well before they stopped.
      const first = Math.ceil(startedAt / SECOND) * SECOND + SECOND;
      const last = Math.floor((stoppedAt - LAG_BOUND_MS) / SECOND) * SECOND;
      const expected: number[] = [];
      for (let at = first; at <= last; at += SECOND) expected.push(at);
      expect(expected.length).toBeGreaterThanOrEqual(1);
      expect(
        expected.filter((at) => !runAts.includes(at)),
        `${schedule.name} missed fire times (killed at ${new Date(killedAt).toISOString()})`,
      ).toEqual([]);
      for (const job of mine) {
        expect(job.createdAt).toBeGreaterThanOrEqual(job.runAt);
        if (job.runAt >= first) expect(job.createdAt - job.runAt).toBeLessThanOrEqual(LAG_BOUND_MS);
      }
    }
    // The fire records agree with the jobs: one per fire time, each naming its job.
    const fires = await server.prisma.scheduleFire.findMany({
      where: { scheduleId: { in: schedules.map((s) => s.id) } },
    });
    expect(fires.length).toBe(jobs.length);
    expect(fires.every((fire) => fire.jobId !== null)).toBe(true);
  });
});
