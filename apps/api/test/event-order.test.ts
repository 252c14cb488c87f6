import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { JOB_EVENT, JobSchema, type Job } from "@jobdeck/contract";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import { createJob, openEventStream, type StreamEvent } from "./support/jobs.js";
import { assertWorkerBuilt, startWorkerProcess } from "./support/processes.js";
import { startTestServer, type TestServer } from "./support/server.js";

/**
 * The event stream's promise (docs/api.md §9.6): every event of the caller's, once, in increasing id
 * order, live and replayed alike — however many processes write them and in whatever order their
 * transactions commit. Checked over the record: the stream's events against the table's rows.
 */
const RECORDING_TYPES = resolve(import.meta.dirname, "support/job-type-modules/recording-job-types.js");
const providers = await testProviders();

type Row = { id: string; kind: string; data: string };

async function tableEvents(server: TestServer, userId: string, afterId: bigint): Promise<Row[]> {
  const rows = await server.runtime.db.read.all<Row>(
    `SELECT CAST("job_events"."id" AS TEXT) AS "id", "kind", "data" FROM "job_events" WHERE "userId" = @userId
      ORDER BY "job_events"."id"`,
    { userId },
  );
  return rows.filter((row) => BigInt(row.id) > afterId);
}

/** The stream's events as rows, leaving out its `ready` event. */
const streamed = (events: StreamEvent[]): Row[] =>
  events
    .filter((event) => event.event !== "ready")
    .map((event) => ({ id: event.id!, kind: event.event!, data: event.data }));

const ended = (rows: Row[]) =>
  new Set(
    rows
      .filter((row) => row.kind === JOB_EVENT)
      .map((row) => JobSchema.parse(JSON.parse(row.data)))
      .filter((job) => job.status === "completed")
      .map((job) => job.id),
  );

describe.each(providers)("event order across processes on %s", (provider) => {
  let server: TestServer;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    assertWorkerBuilt(["worker/worker.ts"]);
    dir = mkdtempSync(join(tmpdir(), "jobdeck-event-order-"));
    server = await startTestServer(provider, {
      JOB_TYPES_MODULE: RECORDING_TYPES,
      EVENTS_HEARTBEAT_MS: "200",
    });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("streams every change by 3 worker processes (one SIGKILLed) and the API once, in id order; a resumed stream the same", async () => {
    const token = server.token("alice");
    const live = await openEventStream(server, token);
    const start = BigInt(await live.readyId());
    const workers = await Promise.all(
      [0, 1, 2].map(() =>
        startWorkerProcess(server.database.url, {
          JOB_TYPES_MODULE: RECORDING_TYPES,
          RECORD_FILE: join(dir, "records"),
          WORKER_CONCURRENCY: "4",
          WORKER_LEASE_MS: "1500",
        }),
      ),
    );
    children.push(...workers.map((worker) => worker.child));

    const ids: string[] = [];
    let resumed: Awaited<ReturnType<typeof openEventStream>> | undefined;
    let firstPart: StreamEvent[] = [];
    for (let round = 0; round < 12; round++) {
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, n) => createJob(server, token, "test.record", { ms: (n % 4) * 5 })),
      );
      ids.push(...created.map((job) => job.id));
      if (round === 4) workers[0]!.child.kill("SIGKILL");
      if (round === 6) {
        // A client that drops mid-way and comes back with the id of the last event it got.
        const early = await openEventStream(server, token, { "last-event-id": String(start) });
        await delay(50);
        firstPart = [...early.events];
        early.close();
        const last = firstPart.at(-1)?.id ?? String(start);
        resumed = await openEventStream(server, token, { "last-event-id": last });
      }
    }
    // Every job completes, the killed worker's after its lease runs out.
    const deadline = Date.now() + 45_000;
    while (ended(streamed(live.events)).size < ids.length) {
      if (Date.now() > deadline) {
        const done = ended(streamed(live.events));
        const missing = ids.filter((id) => !done.has(id));
        const rows = await server.runtime.db.read.all(
          `SELECT "id", "status", "attempts", "runAt", "leaseExpiresAt" FROM "jobs" WHERE "id" = @id`,
          { id: missing[0] },
        );
        const events = (await tableEvents(server, "alice", start)).filter((row) =>
          row.data.includes(missing[0]!),
        );
        const table = (await tableEvents(server, "alice", start)).map((row) => row.id);
        const got = streamed(live.events).map((row) => row.id);
        throw new Error(
          `${done.size} of ${ids.length} jobs ended: ${JSON.stringify({ rows, events: events.map((e) => e.id), notStreamed: table.filter((id) => !got.includes(id)), got: got.slice(0, 200) })}`,
        );
      }
      await delay(100);
    }
    await delay(300);

    const table = await tableEvents(server, "alice", start);
    const liveRows = streamed(live.events);
    const increasing = liveRows.every((row, n) => n === 0 || BigInt(row.id) > BigInt(liveRows[n - 1]!.id));
    expect(increasing).toBe(true);
    // Exactly the table's events, in its order: none lost, none twice, none invented.
    expect(liveRows).toEqual(table);
    expect(ended(liveRows)).toEqual(new Set(ids));
    expect([...streamed(firstPart), ...streamed(resumed!.events)]).toEqual(table);
    live.close();
    resumed!.close();
  });
});

describe.runIf(providers.includes("postgresql"))(
  "event order on postgresql: ids that commit out of order",
  () => {
    let server: TestServer;
    let elsewhere: TestDatabase;

    beforeAll(async () => {
      server = await startTestServer("postgresql", { EVENTS_HEARTBEAT_MS: "200" });
      elsewhere = await createTestDatabase("postgresql");
    });
    afterAll(async () => {
      await server?.close();
      await elsewhere?.drop();
    });

    /**
     * A writer that has taken an event id (the table's sequence, as the API's writers do in their last
     * message) and has not committed yet: `job`'s event again, written by hand on a connection of its own.
     */
    async function openWriter(job: Job) {
      const client = new pg.Client({ connectionString: server.database.url });
      await client.connect();
      await client.query("BEGIN");
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
       VALUES ('alice', $1, $2, 'job', now()) RETURNING "id"::text AS "id"`,
        [job.id, JSON.stringify(job)],
      );
      return {
        id: rows[0]!.id,
        end: async (how: "COMMIT" | "ROLLBACK") => {
          await client.query(how);
          await client.end();
        },
      };
    }

    it("holds back a committed id while a smaller one is on its way, then sends both in id order", async () => {
      const token = server.token("alice");
      const stream = await openEventStream(server, token);
      const since = await stream.readyId();
      const older = await createJob(server, token, "echo", { n: "older" });
      await stream.next((job) => job.id === older.id, 10_000);
      const position = stream.events.at(-1)!.id!;
      const writer = await openWriter(older);
      // A later change commits first with a larger id: it must wait, or a client that resumed from it
      // would never get the smaller one.
      const younger = await createJob(server, token, "echo", { n: "younger" });
      await delay(400);
      expect(streamed(stream.events).map((row) => row.id)).toEqual([position]);
      await writer.end("COMMIT");
      const first = await stream.next(() => true, 10_000);
      const second = await stream.next(() => true, 10_000);
      expect([first.job.id, second.job.id]).toEqual([older.id, younger.id]);
      expect(String(first.id)).toBe(writer.id);
      // A resume from the ready event replays all three in the same order.
      const resumed = await openEventStream(server, token, { "last-event-id": String(since) });
      await resumed.next((job) => job.id === younger.id, 10_000);
      expect(streamed(resumed.events)).toEqual(streamed(stream.events));
      stream.close();
      resumed.close();
    });

    it("moves past the id of a write that rolled back once its writer has ended", async () => {
      const token = server.token("alice");
      const stream = await openEventStream(server, token);
      await stream.readyId();
      const older = await createJob(server, token, "echo", { n: "rolled back" });
      await stream.next((job) => job.id === older.id, 10_000);
      const writer = await openWriter(older);
      const younger = await createJob(server, token, "echo", { n: "after the rollback" });
      await delay(300);
      expect(streamed(stream.events).some((row) => row.data.includes(younger.id))).toBe(false);
      await writer.end("ROLLBACK");
      expect((await stream.next(() => true, 5_000)).job.id).toBe(younger.id);
      stream.close();
    });

    it("is not held back by a long transaction that writes no event, here or in another database", async () => {
      const token = server.token("alice");
      const stream = await openEventStream(server, token);
      await stream.readyId();
      const here = new pg.Client({ connectionString: server.database.url });
      const there = new pg.Client({ connectionString: elsewhere.url });
      await Promise.all([here.connect(), there.connect()]);
      try {
        for (const client of [here, there]) {
          await client.query("BEGIN");
          await client.query("SELECT pg_current_xact_id()");
        }
        await here.query(
          `CREATE TEMPORARY TABLE "long_one" ("x" INTEGER); INSERT INTO "long_one" VALUES (1)`,
        );
        const job = await createJob(server, token, "echo", { n: "beside long ones" });
        expect((await stream.next(() => true, 5_000)).job.id).toBe(job.id);
        // Deleted events leave holes too; the stream goes past them.
        const gone = await createJob(server, token, "echo", { n: "deleted" });
        await server.runtime.db.writer.run(`DELETE FROM "job_events" WHERE "jobId" = @id`, { id: gone.id });
        const after = await createJob(server, token, "echo", { n: "after a hole" });
        expect((await stream.next((j) => j.id === after.id, 5_000)).job.id).toBe(after.id);
      } finally {
        await Promise.all([here.query("ROLLBACK"), there.query("ROLLBACK")]);
        await Promise.all([here.end(), there.end()]);
        stream.close();
      }
    });
  },
);
