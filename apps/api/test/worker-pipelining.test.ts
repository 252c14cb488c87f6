import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { createJob, waitForJob } from "./support/jobs.js";
import { startTestServer, type TestServer } from "./support/server.js";

/**
 * A worker's slot takes its next job as soon as the handler ends, while the outcome is written; at
 * most two outcomes per slot are in writing, after which claims wait. Outcome writes are held up for
 * real: another connection holds the job's row lock, so the settle's UPDATE waits for it.
 */
const RECORDING_TYPES = resolve(import.meta.dirname, "support/job-type-modules/recording-job-types.js");
const providers = await testProviders();

describe.runIf(providers.includes("postgresql"))("a worker slot while its outcome is written", () => {
  let server: TestServer;
  let dir: string;
  let file: string;
  const lockers: pg.Client[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jobdeck-pipelining-"));
    file = join(dir, "records");
    // The recording job types read RECORD_FILE when loaded, in this process.
    process.env.RECORD_FILE = file;
    server = await startTestServer("postgresql", {
      JOB_TYPES_MODULE: RECORDING_TYPES,
      WORKER_CONCURRENCY: "1",
      WORKER_POLL_MS: "50",
    });
  });
  afterAll(async () => {
    for (const client of lockers) await client.end().catch(() => undefined);
    await server?.close();
    delete process.env.RECORD_FILE;
    rmSync(dir, { recursive: true, force: true });
  });

  const records = () =>
    existsSync(file)
      ? readFileSync(file, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(" ").slice(0, 2).join(" "))
      : [];

  async function until(what: string, check: () => boolean) {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what} never happened: ${JSON.stringify(records())}`);
      await delay(10);
    }
  }

  /**
   * A connection of its own, connected ahead: `hold` then takes a job's row lock in two statements,
   * well inside the running handler, until released.
   */
  async function locker() {
    const client = new pg.Client({ connectionString: server.database.url });
    await client.connect();
    lockers.push(client);
    return async (jobId: string) => {
      await client.query("BEGIN");
      await client.query(`SELECT 1 FROM "jobs" WHERE "id" = $1 FOR UPDATE`, [jobId]);
      return () => client.query("COMMIT");
    };
  }

  it("starts the next job while the last outcome waits, and stops at two outcomes waiting", async () => {
    const token = server.token("alice");
    const [holdA, holdB] = [await locker(), await locker()];
    // Each row lock must be taken while the job's handler runs: 1 s leaves room on a busy machine.
    const a = await createJob(server, token, "test.record", { ms: 1_000 });
    await until("a's start", () => records().includes(`start ${a.id}`));
    const releaseA = await holdA(a.id);
    const b = await createJob(server, token, "test.record", { ms: 1_000 });
    const c = await createJob(server, token, "test.record", { ms: 0 });
    // a's handler ends; its outcome cannot be written, yet the slot runs b.
    await until("b's start", () => records().includes(`start ${b.id}`));
    expect(records()).toContain(`end ${a.id}`);
    expect((await server.request(`/v1/jobs/${a.id}`, { token })).text).toContain('"status":"running"');
    const releaseB = await holdB(b.id);
    await until("b's end", () => records().includes(`end ${b.id}`));
    // Two outcomes are waiting for the one slot: c waits too.
    await delay(500);
    expect(records()).not.toContain(`start ${c.id}`);
    await releaseA();
    await releaseB();
    await until("c's end", () => records().includes(`end ${c.id}`));
    for (const job of [a, b, c]) expect((await waitForJob(server, token, job.id)).status).toBe("completed");
    // The handler ran one job at a time: each start after the previous end.
    const order = records().filter((line) => [a.id, b.id, c.id].some((id) => line.endsWith(id)));
    expect(order).toEqual([
      `start ${a.id}`,
      `end ${a.id}`,
      `start ${b.id}`,
      `end ${b.id}`,
      `start ${c.id}`,
      `end ${c.id}`,
    ]);
  });
});
