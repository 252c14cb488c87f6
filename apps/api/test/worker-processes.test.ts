import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { JobStatsResponseSchema, type Job } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { createJob, waitForJob } from "./support/jobs.js";
import { assertWorkerBuilt, startWorkerProcess, type RunningProcess } from "./support/processes.js";
import { startTestServer, type TestServer } from "./support/server.js";

/**
 * Separate worker processes (`npm run worker`'s entry point, built), as in production: they share
 * the database with the test's API server and with each other, and nothing else.
 */
const RECORDING_TYPES = resolve(import.meta.dirname, "support/job-type-modules/recording-job-types.js");
const providers = await testProviders();

type Recorded = { event: "start" | "end"; jobId: string; attempt: number; pid: number };

function readRecords(file: string): Recorded[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [event, jobId, attempt, pid] = line.split(" ");
      return { event: event as Recorded["event"], jobId: jobId!, attempt: Number(attempt), pid: Number(pid) };
    });
}

type WorkerProcess = RunningProcess;

describe.each(providers)("worker processes on %s", (provider) => {
  let server: TestServer;
  let dir: string;
  let token: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    assertWorkerBuilt(["worker/worker.ts"]);
    dir = mkdtempSync(join(tmpdir(), "jobdeck-workers-"));
    // 500 creates, stats polled every 200 ms and jobs every 25 ms, all alice's: near the default 600
    // requests a minute, which this test is not about.
    server = await startTestServer(provider, {
      JOB_TYPES_MODULE: RECORDING_TYPES,
      RATE_LIMIT_PER_MINUTE: "1000000",
    });
    token = server.token("alice");
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A worker process running the recording job types. */
  async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
    const worker = await startWorkerProcess(server.database.url, {
      JOB_TYPES_MODULE: RECORDING_TYPES,
      ...env,
    });
    children.push(worker.child);
    return worker;
  }

  async function waitForRecords(file: string, enough: (records: Recorded[]) => boolean) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const records = readRecords(file);
      if (enough(records)) return records;
      if (Date.now() > deadline) throw new Error(`records never got there: ${JSON.stringify(records)}`);
      await delay(20);
    }
  }

  it("runs 500 jobs across 3 processes: each to completion, never twice at once, none lost", async () => {
    const record = join(dir, "exactly-once.log");
    const env = { WORKER_CONCURRENCY: "4", WORKER_LEASE_MS: "10000", RECORD_FILE: record };
    const workers = await Promise.all([startWorker(env), startWorker(env), startWorker(env)]);

    const jobs: Job[] = [];
    for (let batch = 0; batch < 50; batch++) {
      jobs.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            createJob(server, token, "test.record", { ms: (batch + i) % 4 }),
          ),
        )),
      );
    }
    const deadline = Date.now() + 120_000;
    for (;;) {
      const response = await server.request("/v1/jobs/stats?type=test.record", { token });
      const { byStatus } = JobStatsResponseSchema.parse(response.body).data;
      if (byStatus.completed === jobs.length) break;
      if (byStatus.failed > 0 || Date.now() > deadline)
        throw new Error(`not all jobs completed: ${JSON.stringify(byStatus)}`);
      await delay(200);
    }
    for (const { child } of workers) child.kill("SIGTERM");
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0]);

    const records = readRecords(record);
    const open = new Map<string, number>();
    const starts = new Map<string, number>();
    for (const r of records) {
      if (r.event === "start") {
        // A start while the same job is still running elsewhere would be a concurrent run.
        expect(open.get(r.jobId) ?? 0, `job ${r.jobId} started twice at once`).toBe(0);
        open.set(r.jobId, 1);
        starts.set(r.jobId, (starts.get(r.jobId) ?? 0) + 1);
      } else {
        expect(open.get(r.jobId), `job ${r.jobId} ended without starting`).toBe(1);
        open.set(r.jobId, 0);
      }
    }
    expect(new Set(records.filter((r) => r.event === "end").map((r) => r.jobId))).toEqual(
      new Set(jobs.map((j) => j.id)),
    );
    const rows = await server.prisma.job.findMany({ where: { type: "test.record" } });
    expect(rows).toHaveLength(500);
    for (const row of rows) {
      expect(row.status).toBe("completed");
      expect(row.attempts).toBe(starts.get(row.id));
    }
    // All three shared the work (on two cores, none of them can take everything).
    expect(new Set(records.map((r) => r.pid)).size).toBeGreaterThanOrEqual(2);
  });

  it("takes over the job of a worker killed mid-job once its lease runs out: attempts 2", async () => {
    const record = join(dir, "crash.log");
    const env = { WORKER_CONCURRENCY: "1", WORKER_LEASE_MS: "1500", RECORD_FILE: record };
    const doomed = await startWorker(env);
    // The first attempt would run for a minute: it is surely still running when its worker is killed.
    const job = await createJob(server, token, "test.record", { ms: 100, firstAttemptMs: 60_000 });
    await waitForRecords(record, (records) => records.some((r) => r.jobId === job.id && r.event === "start"));
    doomed.child.kill("SIGKILL");
    expect(await doomed.exited).toBeNull();

    const survivor = await startWorker(env);
    const done = await waitForJob(server, token, job.id);
    expect(done).toMatchObject({ status: "completed", attempts: 2 });
    expect(
      readRecords(record)
        .filter((r) => r.jobId === job.id)
        .map((r) => [r.event, r.attempt, r.pid]),
    ).toEqual([
      ["start", 1, doomed.child.pid],
      ["start", 2, survivor.child.pid],
      ["end", 2, survivor.child.pid],
    ]);
    survivor.child.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
  });

  it("on SIGTERM drains: finishes what it can within the grace period, hands back the rest, exits 0", async () => {
    const record = join(dir, "drain.log");
    const worker = await startWorker({
      WORKER_CONCURRENCY: "2",
      WORKER_LEASE_MS: "10000",
      SHUTDOWN_GRACE_MS: "1500",
      RECORD_FILE: record,
    });
    const short = await createJob(server, token, "test.record", { ms: 500 });
    const long = await createJob(server, token, "test.record", { ms: 600_000 });
    await waitForRecords(record, (records) => records.filter((r) => r.event === "start").length === 2);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(await waitForJob(server, token, short.id)).toMatchObject({ status: "completed", attempts: 1 });
    const handedBack = await server.prisma.job.findUniqueOrThrow({ where: { id: long.id } });
    expect(handedBack).toMatchObject({
      status: "pending",
      attempts: 0,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(worker.output()).not.toMatch(/"level":(50|60)/);
  });
});
