import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { JOB_EVENT, JobSchema, type Job } from "@jobdeck/contract";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeRuntime, type Runtime } from "../src/boot.js";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import { createJob, openEventStream, type StreamEvent } from "./support/jobs.js";
import { assertWorkerBuilt, startWorkerProcess } from "./support/processes.js";
import { bootSecondRuntime, startTestServer, type TestServer } from "./support/server.js";

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
    assertWorkerBuilt(["worker/worker.ts", "db/dialect/postgresql.ts"]);
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
  "event order on postgresql: transactions that commit out of order",
  () => {
    let server: TestServer;
    let other: Runtime;
    let elsewhere: TestDatabase;

    beforeAll(async () => {
      server = await startTestServer("postgresql", { EVENTS_HEARTBEAT_MS: "200" });
      other = await bootSecondRuntime(server.database);
      elsewhere = await createTestDatabase("postgresql");
    });
    afterAll(async () => {
      if (other) await closeRuntime(other);
      await server?.close();
      await elsewhere?.drop();
    });

    /**
     * A transaction of another process that takes its transaction id first, stays open until released,
     * and then appends a `job` event (of `job`, as it stood) with its COMMIT, as every change does.
     */
    function heldChange(runtime: Runtime, job: Job) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let began!: () => void;
      const hasBegun = new Promise<void>((resolve) => (began = resolve));
      const done = runtime.db.writer.transaction(async (tx) => {
        await tx.all("SELECT pg_current_xact_id()");
        began();
        await released;
        await runtime.db.appendEvents(
          tx,
          [
            {
              userId: "alice",
              jobId: job.id,
              data: JSON.stringify(job),
              webhookEvent: null,
              jobType: job.type,
              queue: job.queue,
            },
          ],
          new Date(),
        );
      });
      return { hasBegun, release, done };
    }

    it("holds back a later transaction's events until an earlier one commits, then sends both in id order", async () => {
      const token = server.token("alice");
      const stream = await openEventStream(server, token);
      const since = await stream.readyId();
      const older = await createJob(server, token, "echo", { n: "older" });
      await stream.next((job) => job.id === older.id, 10_000);
      const position = stream.events.at(-1)!.id!;
      const held = heldChange(other, older);
      await held.hasBegun;
      // A younger transaction commits first: its event must wait, or the older one's would come after a
      // larger id that a client could already have resumed from.
      const younger = await createJob(server, token, "echo", { n: "younger" });
      await delay(400);
      expect(streamed(stream.events).map((row) => row.id)).toEqual([position]);
      held.release();
      await held.done;
      const first = await stream.next(() => true, 10_000);
      const second = await stream.next(() => true, 10_000);
      expect([first.job.id, second.job.id]).toEqual([older.id, younger.id]);
      expect(first.id).toBeLessThan(second.id);
      // A resume from the ready event replays all three in the same order.
      const resumed = await openEventStream(server, token, { "last-event-id": String(since) });
      await resumed.next((job) => job.id === younger.id, 10_000);
      expect(streamed(resumed.events)).toEqual(streamed(stream.events));
      stream.close();
      resumed.close();
    });

    it("waits for an open transaction that writes no event, without a notification, then delivers", async () => {
      const token = server.token("alice");
      const stream = await openEventStream(server, token);
      await stream.readyId();
      const client = new pg.Client({ connectionString: server.database.url });
      await client.connect();
      try {
        await client.query("BEGIN");
        await client.query(`UPDATE "jobs" SET "updatedAt" = "updatedAt" WHERE false`);
        await client.query("SELECT pg_current_xact_id()");
        const job = await createJob(server, token, "echo", { n: "behind a silent one" });
        await delay(300);
        expect(stream.events.filter((e) => e.event === JOB_EVENT)).toEqual([]);
        await client.query("COMMIT");
        expect((await stream.next(() => true, 5_000)).job.id).toBe(job.id);
      } finally {
        await client.end();
        stream.close();
      }
    });

    it("is not held back by a long transaction in another database on the same server", async () => {
      const token = server.token("alice");
      const stream = await openEventStream(server, token);
      await stream.readyId();
      const client = new pg.Client({ connectionString: elsewhere.url });
      await client.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_current_xact_id()");
        const job = await createJob(server, token, "echo", { n: "beside a long one" });
        expect((await stream.next(() => true, 5_000)).job.id).toBe(job.id);
        await client.query("ROLLBACK");
      } finally {
        await client.end();
        stream.close();
      }
    });
  },
);
