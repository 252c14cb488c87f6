import { JobResponseSchema } from "@jobdeck/contract";
import { setTimeout as delay } from "node:timers/promises";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { closeRuntime, type Runtime } from "../src/boot.js";
import { expectError } from "./support/assertions.js";
import { adminQuery, testProviders } from "./support/databases.js";
import { createJob, openEventStream } from "./support/jobs.js";
import { bootSecondRuntime, startTestServer } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

describe.each(providers)("GET /v1/events on %s", (provider) => {
  // No worker in the server: jobs stay where the tests put them.
  const suite = serveSuite(provider, { EVENTS_HEARTBEAT_MS: "100" });

  /** An echo job of alice's, created by another process (a runtime of its own on the same database). */
  const insertElsewhere = (other: Runtime, payload: unknown) =>
    other.store.insertJob(
      {
        id: uuidv7(),
        userId: "alice",
        type: "echo",
        resultType: "json",
        payload,
        maxAttempts: 3,
        timeoutMs: 1_000,
      },
      new Date(),
    );

  it("sends one job event per change of the caller's own jobs, with heartbeats", async () => {
    const stream = await openEventStream(suite.server, suite.alice);
    const other = await openEventStream(suite.server, suite.bob);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      const job = await createJob(suite.server, suite.alice, "echo", { live: true });
      const created = await stream.next((j) => j.id === job.id);
      // An event says why a job waits as far as the change itself tells (docs/api.md §11); a read
      // looks further (here: no worker runs jobs in this server).
      expect(created.job).toEqual({ ...job, waitReason: "queued" });
      expect(created.id).toBeGreaterThan(0);
      await suite.post(`/v1/jobs/${job.id}/cancel`, suite.alice);
      const cancelled = await stream.next((j) => j.id === job.id);
      expect(cancelled.job.status).toBe("cancelled");
      expect(cancelled.id).toBeGreaterThan(created.id);
      for (let waited = 0; !stream.comments.includes("heartbeat") && waited < 10_000; waited += 50)
        await delay(50);
      expect(stream.comments).toContain("heartbeat");
      expect(other.events.filter((e) => e.data.includes(job.id))).toEqual([]);
    } finally {
      stream.close();
      other.close();
    }
  });

  it("resumes after Last-Event-ID: the missed events first, in order, then live ones", async () => {
    const first = await openEventStream(suite.server, suite.alice);
    const job = await createJob(suite.server, suite.alice, "echo", { resume: 1 });
    const seen = await first.next((j) => j.id === job.id);
    first.close();
    // Missed while disconnected:
    await suite.post(`/v1/jobs/${job.id}/cancel`, suite.alice);
    const retried = JobResponseSchema.parse(
      (await suite.post(`/v1/jobs/${job.id}/retry`, suite.alice)).body,
    ).data;

    const resumed = await openEventStream(suite.server, suite.alice, { "last-event-id": String(seen.id) });
    try {
      const a = await resumed.next();
      const b = await resumed.next();
      expect([a.job.id, a.job.status]).toEqual([job.id, "cancelled"]);
      expect([b.job.id, b.job.status]).toEqual([retried.id, "pending"]);
      expect(b.id).toBeGreaterThan(a.id);
      expect(a.id).toBeGreaterThan(seen.id);
      const live = await createJob(suite.server, suite.alice, "echo", { resume: 2 });
      expect((await resumed.next()).job.id).toBe(live.id);
    } finally {
      resumed.close();
    }
  });

  it("opens with a ready event whose id resumes a client that has seen no job event yet", async () => {
    const first = await openEventStream(suite.server, suite.alice);
    const position = await first.readyId();
    expect(first.events[0]).toEqual({ id: String(position), event: "ready", data: "{}" });
    first.close();
    // Changed while the client was away, before it had seen any job event:
    const job = await createJob(suite.server, suite.alice, "echo", { whileAway: true });
    const resumed = await openEventStream(suite.server, suite.alice, { "last-event-id": String(position) });
    try {
      expect((await resumed.next()).job).toEqual({ ...job, waitReason: "queued" });
      expect(resumed.events.filter((e) => e.event === "ready")).toEqual([]);
    } finally {
      resumed.close();
    }
  });

  it("starts afresh when Last-Event-ID is beyond every event (a database that was reset)", async () => {
    // The largest id there can be (2^63 - 1): beyond every event of this database.
    const stream = await openEventStream(suite.server, suite.alice, {
      "last-event-id": "9223372036854775807",
    });
    try {
      const position = await stream.readyId();
      expect(position).toBeLessThan(2 ** 63);
      const job = await createJob(suite.server, suite.alice, "echo", { afterReset: true });
      const event = await stream.next((j) => j.id === job.id);
      expect(event.id).toBeGreaterThan(position);
    } finally {
      stream.close();
    }
  });

  it("delivers events of jobs changed by another process", async () => {
    // A second runtime on the same database is another process as far as signals go: on
    // PostgreSQL its changes arrive by NOTIFY, on SQLite by the feed's poll.
    const other = await bootSecondRuntime(suite.server.database);
    const stream = await openEventStream(suite.server, suite.alice);
    try {
      const row = await insertElsewhere(other, { from: "elsewhere" });
      expect((await stream.next((j) => j.id === row.id)).job.payload).toEqual({ from: "elsewhere" });
    } finally {
      stream.close();
      await closeRuntime(other);
    }
  });

  it("is described in the OpenAPI document, like the artifact's binary answer", async () => {
    const doc = (await suite.server.request("/openapi.json")).body as {
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const events = doc.paths["/v1/events"]!.get;
    expect(Object.keys(events.responses["200"]!.content!)).toEqual(["text/event-stream"]);
    expect(Object.keys(events.responses).sort()).toEqual(["200", "400", "401", "429", "500", "503"]);
    const artifact = doc.paths["/v1/jobs/{jobId}/artifact"]!.get;
    expect(Object.keys(artifact.responses["200"]!.content!)).toContain("image/png");
  });

  it.runIf(provider === "postgresql")("listens again after losing its LISTEN connection", async () => {
    const name = new URL(suite.server.database.url).pathname.slice(1);
    await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND application_name = 'jobdeck-listen'`,
    );
    const deadline = Date.now() + 10_000;
    while (!suite.server.runtime.db.signals.isCrossProcess() && Date.now() < deadline) await delay(20);
    expect(suite.server.runtime.db.signals.isCrossProcess()).toBe(true);
    // A second runtime's change reaches this server's stream by NOTIFY again: well within the
    // slow fallback poll that would otherwise deliver it.
    const other = await bootSecondRuntime(suite.server.database);
    const stream = await openEventStream(suite.server, suite.alice);
    try {
      await delay(100);
      const row = await insertElsewhere(other, { after: "reconnect" });
      expect((await stream.next((j) => j.id === row.id, 2_000)).job.payload).toEqual({
        after: "reconnect",
      });
    } finally {
      stream.close();
      await closeRuntime(other);
    }
  });

  it("refuses a bad Last-Event-ID, query parameters and a missing token", async () => {
    const bad = await suite.server.request("/v1/events", {
      token: suite.alice,
      headers: { "last-event-id": "abc" },
    });
    expectError(bad, 400, "VALIDATION_FAILED", {
      details: [{ path: "Last-Event-ID", message: "must be the id of an event this stream sent" }],
    });
    // Ids are 64-bit: 2^63 and 20 digits are no event's id.
    for (const id of ["9223372036854775808", "12345678901234567890", "-1", "1.5"]) {
      const tooBig = await suite.server.request("/v1/events", {
        token: suite.alice,
        headers: { "last-event-id": id },
      });
      expectError(tooBig, 400, "VALIDATION_FAILED", {
        details: [{ path: "Last-Event-ID", message: "must be the id of an event this stream sent" }],
      });
    }
    const query = await suite.server.request("/v1/events?token=abc", { token: suite.alice });
    expectError(query, 400, "VALIDATION_FAILED", {
      details: [{ path: "token", message: "is not an accepted field" }],
    });
    expectError(await suite.server.request("/v1/events"), 401, "UNAUTHORIZED");
  });

  it("ends open streams when the suite.server shuts down, so clients reconnect elsewhere", async () => {
    const own = await startTestServer(provider, {}, { database: suite.server.database });
    const stream = await openEventStream(own, own.token("alice"));
    expect(stream.response.status).toBe(200);
    own.runtime.feed.close();
    await stream.ended();
    // A client that comes back while this process is still shutting down is told to try again.
    const late = await own.request("/v1/events", { token: own.token("alice") });
    expectError(late, 503, "UNAVAILABLE");
    expect(late.headers.get("retry-after")).toBe("1");
    await own.close();
  });
});
