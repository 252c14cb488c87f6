import { setTimeout as delay } from "node:timers/promises";
import { JobResponseSchema, ScheduleResponseSchema, type Schedule } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntimeWorker } from "../src/boot.js";
import type { Worker } from "../src/worker/worker.js";
import { testProviders } from "./support/databases.js";
import { until } from "./support/wait.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

/**
 * A server that runs schedules (WORKER_CONCURRENCY > 0, as `npm start`), on each database: jobs
 * made at their fire times, pause and resume, overlap skip (with a trigger as the last job), and
 * catch-up after a time when no process ran schedules. Every check is over the record the database
 * keeps (the jobs with their scheduleId, runAt and createdAt; schedule_fires), never a sample.
 */

const providers = await testProviders();
const SECOND = 1_000;
/** Generous: the spec's bound is one second while a process runs schedules. */
const LAG_BOUND_MS = 3_000;

type Made = { id: string; runAt: number; createdAt: number; status: string };

describe.each(providers)("schedules firing on %s", (provider) => {
  let server: TestServer;
  let token: string;
  const extraWorkers: Worker[] = [];

  beforeAll(async () => {
    server = await startTestServer(provider, { WORKER_CONCURRENCY: "2", RATE_LIMIT_PER_MINUTE: "100000" });
    token = server.token("alice");
  });
  afterAll(async () => {
    for (const worker of extraWorkers) await worker.stop(0);
    await server?.close();
  });

  async function createSchedule(body: Record<string, unknown>): Promise<Schedule> {
    const response = await server.request(
      "/v1/schedules",
      postJson({ type: "echo", payload: { hello: "world" }, ...body }, token),
    );
    expect(response.status, response.text).toBe(201);
    return ScheduleResponseSchema.parse(response.body).data;
  }

  async function action(id: string, verb: "pause" | "resume" | "trigger") {
    const response = await server.request(`/v1/schedules/${id}/${verb}`, { method: "POST", token });
    expect(response.status, response.text).toBe(verb === "trigger" ? 201 : 200);
    return response.body;
  }

  async function getSchedule(id: string): Promise<Schedule> {
    return ScheduleResponseSchema.parse((await server.request(`/v1/schedules/${id}`, { token })).body).data;
  }

  /** Every job the schedule made, by runAt, from the database. */
  async function madeBy(scheduleId: string): Promise<Made[]> {
    const rows = await server.prisma.job.findMany({ where: { scheduleId }, orderBy: { runAt: "asc" } });
    return rows.map((row) => ({
      id: row.id,
      runAt: row.runAt.getTime(),
      createdAt: row.createdAt.getTime(),
      status: row.status,
    }));
  }

  const firesOf = async (scheduleId: string) =>
    (await server.prisma.scheduleFire.findMany({ where: { scheduleId }, orderBy: { fireAt: "asc" } })).map(
      (fire) => ({ fireAt: fire.fireAt.getTime(), jobId: fire.jobId }),
    );

  /** Whole seconds in [from, to]. */
  const secondsBetween = (from: number, to: number) => {
    const out: number[] = [];
    for (let at = Math.ceil(from / SECOND) * SECOND; at <= to; at += SECOND) out.push(at);
    return out;
  };

  it("makes one job per fire time, at its fire time, with the schedule's queue and priority", async () => {
    const schedule = await createSchedule({
      name: "every-second",
      cron: "* * * * * *",
      queue: "ticks",
      priority: 3,
    });
    const from = Date.parse(schedule.nextRunAt!);
    await delay(3_500);
    await action(schedule.id, "pause");
    const pausedAt = Date.now();
    const made = await madeBy(schedule.id);
    const runAts = made.map((job) => job.runAt);
    // No duplicates, no misses: exactly the whole seconds from the first fire time on.
    expect(runAts).toEqual(secondsBetween(from, runAts.at(-1)!));
    expect(runAts.length).toBeGreaterThanOrEqual(2);
    // Every fire time that passed at least the bound before the pause made its job.
    expect(runAts.at(-1)!).toBeGreaterThanOrEqual(Math.floor((pausedAt - LAG_BOUND_MS) / SECOND) * SECOND);
    for (const job of made) {
      expect(job.createdAt).toBeGreaterThanOrEqual(job.runAt);
      expect(job.createdAt - job.runAt).toBeLessThanOrEqual(LAG_BOUND_MS);
    }
    const jobs = await server.prisma.job.findMany({ where: { scheduleId: schedule.id } });
    expect(new Set(jobs.map((job) => `${job.queue}/${job.priority}/${job.type}`))).toEqual(
      new Set(["ticks/3/echo"]),
    );
    const read = await getSchedule(schedule.id);
    expect(read.lastJobId).toBe(made.at(-1)!.id);
    expect(Date.parse(read.lastRunAt!)).toBe(made.at(-1)!.runAt);
  });

  it("a schedule that fell behind while processes ran (not a downtime) makes every fire time's job, late", async () => {
    const schedule = await createSchedule({ name: "behind", cron: "* * * * * *" });
    await action(schedule.id, "pause");
    // As if the loop had been stuck for two minutes: nextRunAt 120 fire times ago, the clock fresh,
    // and no downtime on record (this database's first process counted the time before it as one).
    await server.prisma.scheduleDowntime.deleteMany();
    const from = Math.floor(Date.parse(schedule.createdAt) / SECOND) * SECOND - 121 * SECOND;
    await server.prisma.schedule.update({
      where: { id: schedule.id },
      data: { isPaused: false, nextRunAt: new Date(from) },
    });
    await server.request(`/v1/schedules/${schedule.id}/resume`, { method: "POST", token });
    const upTo = from + 119 * SECOND;
    const made = await until(async () => {
      const jobs = await madeBy(schedule.id);
      return jobs.filter((job) => job.runAt >= from && job.runAt <= upTo).length >= 120 ? jobs : undefined;
    });
    await action(schedule.id, "pause");
    const runAts = made.map((job) => job.runAt).filter((at) => at >= from && at <= upTo);
    // More than one pass's 50 fire times, none missing, none twice.
    expect(runAts).toEqual(secondsBetween(from, upTo));
    for (const job of made) expect(job.createdAt).toBeGreaterThanOrEqual(job.runAt);
  });

  it("makes no job once pause has answered, and does not catch up on resume", async () => {
    const schedule = await createSchedule({ name: "pause-resume", cron: "* * * * * *" });
    await delay(1_500);
    await action(schedule.id, "pause");
    const pausedAt = Date.now();
    await delay(2_500);
    const resumeFrom = Date.now();
    const resumed = ScheduleResponseSchema.parse(await action(schedule.id, "resume")).data;
    expect(Date.parse(resumed.nextRunAt!)).toBeGreaterThan(resumeFrom);
    // It fires again after the resume.
    await until(async () => (await madeBy(schedule.id)).some((job) => job.runAt > resumeFrom));
    const made = await madeBy(schedule.id);
    // Nothing was created between the pause's answer and the resume.
    expect(made.filter((job) => job.createdAt > pausedAt && job.createdAt < resumeFrom)).toEqual([]);
    // Nothing for the fire times while paused, not even later.
    expect(made.filter((job) => job.runAt > pausedAt && job.runAt <= resumeFrom)).toEqual([]);
  });

  it("overlap skip: drops fire times while the last job (a trigger's) is pending, and fires again once it has ended", async () => {
    // A paused queue keeps the trigger's job pending for as long as the test wants.
    const paused = await server.request("/v1/queues/held/pause", { method: "POST", token });
    expect(paused.status).toBe(200);
    const schedule = await createSchedule({
      name: "no-overlap",
      cron: "* * * * * *",
      queue: "held",
      overlap: "skip",
    });
    await action(schedule.id, "pause");
    const trigger = JobResponseSchema.parse(await action(schedule.id, "trigger")).data;
    const resumedAt = Date.now();
    await action(schedule.id, "resume");
    // Wait (generously) until at least two fire times after the resume were decided.
    await until(
      async () => (await firesOf(schedule.id)).filter((fire) => fire.fireAt > resumedAt).length >= 2,
    );
    // Only the trigger's job: every fire time meanwhile was decided and dropped.
    expect((await madeBy(schedule.id)).map((job) => job.id)).toEqual([trigger.id]);
    const dropped = (await firesOf(schedule.id)).filter((fire) => fire.fireAt > resumedAt);
    expect(dropped.every((fire) => fire.jobId === null)).toBe(true);
    // The read shows it still waiting on the trigger's job.
    expect((await getSchedule(schedule.id)).lastJobId).toBe(trigger.id);

    const cancelled = await server.request(`/v1/jobs/${trigger.id}/cancel`, { method: "POST", token });
    expect(cancelled.status).toBe(200);
    const cancelledAt = Date.now();
    // One new job, then its fire times are dropped again while it waits in the paused queue.
    const made = await until(async () => {
      const fires = (await firesOf(schedule.id)).filter((fire) => fire.fireAt > resumedAt);
      const madeAt = fires.findIndex((fire) => fire.jobId !== null);
      return madeAt >= 0 && fires.length - madeAt >= 3 ? fires : undefined;
    });
    await action(schedule.id, "pause");
    const after = (await madeBy(schedule.id)).filter((job) => job.id !== trigger.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.runAt).toBeGreaterThan(cancelledAt - LAG_BOUND_MS);
    expect(made.filter((fire) => fire.jobId !== null).map((fire) => fire.jobId)).toEqual([after[0]!.id]);
    // Dropped, not deferred: no fire time has both a record with a job and one without, and every
    // second from the resume on was decided once.
    const fires = (await firesOf(schedule.id)).filter((fire) => fire.fireAt > resumedAt);
    const decided = fires.map((fire) => fire.fireAt);
    expect(decided).toEqual(secondsBetween(decided[0]!, decided.at(-1)!));
    expect(fires.filter((fire) => fire.jobId !== null).map((fire) => fire.jobId)).toEqual([after[0]!.id]);
  });

  it("after a time when no process ran schedules: catchUp latest makes one job for the latest missed time, none makes none", async () => {
    const latest = await createSchedule({ name: "catch-up-latest", cron: "* * * * * *", catchUp: "latest" });
    const none = await createSchedule({ name: "catch-up-none", cron: "* * * * * *", catchUp: "none" });
    await delay(1_500);
    await server.worker!.stop(0);
    const stoppedAt = Date.now();
    // Longer than the three seconds after which a silent clock means nobody ran schedules.
    await delay(4_500);
    const restartedAt = Date.now();
    const worker = createRuntimeWorker(server.runtime);
    extraWorkers.push(worker);
    worker.start();
    await delay(1_500);
    // Both fire as usual again after the restart.
    for (const schedule of [latest, none])
      await until(async () => (await madeBy(schedule.id)).some((job) => job.runAt > restartedAt + SECOND));
    await action(latest.id, "pause");
    await action(none.id, "pause");

    // The restarted process recorded the downtime: from the last tick before the stop to its first.
    const downtimes = await server.prisma.scheduleDowntime.findMany();
    const downtime = downtimes
      .map((d) => ({ fromAt: d.fromAt.getTime(), toAt: d.toAt.getTime() }))
      .find((d) => d.toAt >= restartedAt);
    expect(downtime).toBeDefined();
    const { fromAt, toAt } = downtime!;
    // A process that stops writes the clock as it goes: the downtime starts when it stopped.
    expect(fromAt).toBeLessThanOrEqual(stoppedAt);
    expect(fromAt).toBeGreaterThan(stoppedAt - SECOND);
    expect(toAt - restartedAt).toBeLessThan(LAG_BOUND_MS);

    for (const schedule of [latest, none]) {
      const made = await madeBy(schedule.id);
      const runAts = made.map((job) => job.runAt);
      expect(new Set(runAts).size).toBe(runAts.length);
      // Before the downtime and after it: every second, as usual.
      const before = runAts.filter((at) => at <= fromAt);
      const after = runAts.filter((at) => at >= toAt);
      expect(before).toEqual(secondsBetween(before[0]!, before.at(-1)!));
      expect(after).toEqual(secondsBetween(toAt, after.at(-1)!));
      expect(after.length).toBeGreaterThanOrEqual(1);
      const inside = made.filter((job) => job.runAt > fromAt && job.runAt < toAt);
      if (schedule === latest) {
        // One job, for the latest fire time inside the downtime, made at once after it.
        const latestMissed = Math.floor((toAt - 1) / SECOND) * SECOND;
        expect(inside.map((job) => job.runAt)).toEqual([latestMissed]);
        expect(inside[0]!.createdAt).toBeGreaterThanOrEqual(toAt);
        expect(inside[0]!.createdAt - toAt).toBeLessThanOrEqual(LAG_BOUND_MS);
      } else {
        expect(inside).toEqual([]);
      }
    }
  });
});
