import { setTimeout as delay } from "node:timers/promises";
import { JobResponseSchema, JobStatsResponseSchema, type Job } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { closeRuntime } from "../src/boot.js";
import { createJobTypeRegistry } from "../src/job-types/registry.js";
import { defineJobType } from "../src/job-types/types.js";
import { createWorker, type Worker } from "../src/worker/worker.js";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { adminQuery, testProviders } from "./support/databases.js";
import { createJob, fetchJob, openEventStream, waitForJob } from "./support/jobs.js";
import { bootSecondRuntime, postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("cancel, retry, stats, artifact and events on %s", (provider) => {
  let server: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    // No worker in the server: jobs stay where the tests put them.
    server = await startTestServer(provider, { EVENTS_HEARTBEAT_MS: "100" });
    alice = server.token("alice");
    bob = server.token("bob");
  });
  afterAll(() => server.close());

  const noWrites = <T>(fn: () => Promise<T>) => expectNoWrites(server.prisma, fn);
  const post = (path: string, token: string, init: RequestInit = {}) =>
    server.request(path, { method: "POST", token, ...init });
  const setStatus = (id: string, status: string) =>
    server.prisma.job.update({ where: { id }, data: { status } });

  /** A worker on the server's runtime that runs `long` jobs until they are cancelled. */
  const startLongWorker = (): Worker => {
    const { runtime } = server;
    const worker = createWorker({
      ...runtime,
      registry: createJobTypeRegistry([
        defineJobType({
          type: "sleep",
          description: "sleep, as the built-in",
          resultType: "json",
          payloadSchema: z.object({ ms: z.number() }),
          maxAttempts: 3,
          timeoutMs: 600_000,
          handler: async ({ ms }, { signal }) => {
            await delay(ms, undefined, { signal });
            return { result: { sleptMs: ms } };
          },
        }),
      ]),
      concurrency: 1,
      leaseMs: 5_000,
      pollMs: 50,
      backoff: { baseMs: 10, maxMs: 100 },
    });
    worker.start();
    return worker;
  };

  describe("POST /v1/jobs/{jobId}/cancel", () => {
    it("cancels a pending job at once, with no body and no Content-Type", async () => {
      const job = await createJob(server, alice, "echo", { n: 1 });
      const response = await post(`/v1/jobs/${job.id}/cancel`, alice);
      expect(response.status).toBe(200);
      const body = JobResponseSchema.parse(response.body);
      expect(body).toEqual({
        success: true,
        message: "Job cancelled",
        data: {
          ...job,
          status: "cancelled",
          updatedAt: body.data.updatedAt,
          finishedAt: body.data.updatedAt,
        },
      });
      expect(await fetchJob(server, alice, job.id)).toEqual(body.data);
    });

    it("accepts an empty JSON object as the body, and refuses a body that is not JSON", async () => {
      const job = await createJob(server, alice, "echo", {});
      const text = await noWrites(() =>
        post(`/v1/jobs/${job.id}/cancel`, alice, {
          headers: { "content-type": "text/plain" },
          body: "please",
        }),
      );
      expectError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
      const response = await server.request(`/v1/jobs/${job.id}/cancel`, postJson({}, alice));
      expect(response.status).toBe(200);
    });

    it("cancels a running job through its handler's signal and answers once it has stopped", async () => {
      const worker = startLongWorker();
      try {
        const job = await createJob(server, alice, "sleep", { ms: 600_000 });
        await waitForJob(server, alice, job.id, (j) => j.status === "running");
        const response = await post(`/v1/jobs/${job.id}/cancel`, alice);
        const body = JobResponseSchema.parse(response.body);
        expect(body.message).toBe("Job cancelled");
        expect(body.data).toMatchObject({ status: "cancelled", attempts: 1, result: null, error: null });
      } finally {
        await worker.stop(0);
      }
    });

    it("answers 409 for a job that has ended, writing nothing", async () => {
      const job = await createJob(server, alice, "echo", {});
      for (const status of ["completed", "failed", "cancelled"]) {
        await setStatus(job.id, status);
        const response = await noWrites(() => post(`/v1/jobs/${job.id}/cancel`, alice));
        expectError(response, 409, "CONFLICT", {
          message: `Job is already ${status}; only pending or running jobs can be cancelled`,
        });
      }
    });

    it("answers the same 404 for another user's job, a missing one and a malformed id", async () => {
      const job = await createJob(server, alice, "echo", {});
      const bodies = [];
      for (const [id, token] of [
        [job.id, bob],
        ["0b4c7a52-0000-7000-8000-000000000000", alice],
        ["nope", alice],
      ] as const) {
        const response = await noWrites(() => post(`/v1/jobs/${id}/cancel`, token));
        bodies.push({
          ...expectError(response, 404, "NOT_FOUND", { message: "Job not found" }),
          requestId: "",
        });
      }
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      expect((await fetchJob(server, alice, job.id)).status).toBe("pending");
    });

    it("needs a token", async () => {
      const job = await createJob(server, alice, "echo", {});
      const response = await noWrites(() => server.request(`/v1/jobs/${job.id}/cancel`, { method: "POST" }));
      expectError(response, 401, "UNAUTHORIZED");
    });
  });

  describe("POST /v1/jobs/{jobId}/retry", () => {
    it("creates a new pending job with the same type and payload once the original has ended", async () => {
      const job = await createJob(server, alice, "markdown.render", { markdown: "# again" });
      await setStatus(job.id, "failed");
      const response = await post(`/v1/jobs/${job.id}/retry`, alice);
      expect(response.status).toBe(201);
      const body = JobResponseSchema.parse(response.body);
      expect(body.message).toBe("Job created as a retry");
      expect(body.data).toMatchObject({
        type: "markdown.render",
        payload: { markdown: "# again" },
        status: "pending",
        resultType: "html",
        attempts: 0,
        maxAttempts: 3,
        result: null,
        error: null,
        startedAt: null,
        finishedAt: null,
      });
      expect(body.data.id).not.toBe(job.id);
      expect((await fetchJob(server, alice, job.id)).status).toBe("failed");
      expect(await fetchJob(server, alice, body.data.id)).toEqual(body.data);
    });

    it("answers 409 while the original is pending or running, writing nothing", async () => {
      const job = await createJob(server, alice, "echo", {});
      for (const status of ["pending", "running"]) {
        await setStatus(job.id, status);
        const response = await noWrites(() => post(`/v1/jobs/${job.id}/retry`, alice));
        expectError(response, 409, "CONFLICT", {
          message: `Job is still ${status}; only completed, failed or cancelled jobs can be retried`,
        });
      }
    });

    it("answers 409 when the job's type is no longer registered", async () => {
      const job = await createJob(server, alice, "echo", {});
      await server.prisma.job.update({
        where: { id: job.id },
        data: { status: "completed", type: "gone.away" },
      });
      const response = await noWrites(() => post(`/v1/jobs/${job.id}/retry`, alice));
      expectError(response, 409, "CONFLICT", { message: "Job type gone.away is not registered any more" });
    });

    it("answers the same 404 for another user's job, a missing one and a malformed id", async () => {
      const job = await createJob(server, alice, "echo", {});
      await setStatus(job.id, "completed");
      for (const [id, token] of [
        [job.id, bob],
        ["0b4c7a52-0000-7000-8000-000000000000", alice],
        ["x", alice],
      ] as const) {
        const response = await noWrites(() => post(`/v1/jobs/${id}/retry`, token));
        expectError(response, 404, "NOT_FOUND", { message: "Job not found" });
      }
    });
  });

  describe("GET /v1/jobs/stats", () => {
    it("counts the caller's jobs by status, with the list's filters", async () => {
      const carol = server.token("carol");
      const made: Job[] = [];
      for (const [type, payload] of [
        ["echo", {}],
        ["echo", {}],
        ["sleep", { ms: 1 }],
        ["markdown.render", { markdown: "x" }],
      ] as const) {
        made.push(await createJob(server, carol, type, payload));
      }
      await setStatus(made[1]!.id, "completed");
      await setStatus(made[2]!.id, "failed");
      const stats = async (query: string, token = carol) => {
        const response = await server.request(`/v1/jobs/stats${query}`, { token });
        expect(response.status, response.text).toBe(200);
        const body = JobStatsResponseSchema.parse(response.body);
        expect(body.message).toBe("Job stats retrieved");
        return body.data;
      };
      expect(await stats("")).toEqual({
        total: 4,
        byStatus: { pending: 2, running: 0, completed: 1, failed: 1, cancelled: 0 },
      });
      expect(await stats("?type=echo")).toEqual({
        total: 2,
        byStatus: { pending: 1, running: 0, completed: 1, failed: 0, cancelled: 0 },
      });
      expect((await stats("?status=pending,failed")).total).toBe(3);
      expect((await stats("?resultType=html")).total).toBe(1);
      const at = Date.parse(made[3]!.createdAt);
      expect((await stats(`?createdFrom=${at}&createdTo=${at}`)).total).toBeGreaterThanOrEqual(1);
      expect((await stats(`?createdTo=${Date.parse(made[0]!.createdAt) - 1}`)).total).toBe(0);
      expect(await stats("", server.token("dave"))).toEqual({
        total: 0,
        byStatus: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 },
      });
    });

    it("refuses paging, sorting, unknown and bad parameters with 400", async () => {
      const cases: [string, { path: string; message: string | RegExp }[]][] = [
        ["limit=10", [{ path: "limit", message: "is not an accepted field" }]],
        ["cursor=abc", [{ path: "cursor", message: "is not an accepted field" }]],
        ["sortBy=type", [{ path: "sortBy", message: "is not an accepted field" }]],
        ["status=done", [{ path: "status", message: /must be one of pending/ }]],
        ["createdFrom=10&createdTo=9", [{ path: "createdFrom", message: "must not be after createdTo" }]],
      ];
      for (const [query, details] of cases) {
        const response = await noWrites(() => server.request(`/v1/jobs/stats?${query}`, { token: alice }));
        expectError(response, 400, "VALIDATION_FAILED", { details });
      }
      expectError(await server.request("/v1/jobs/stats"), 401, "UNAUTHORIZED");
    });
  });

  describe("GET /v1/jobs/{jobId}/artifact", () => {
    it("serves the bytes with their own Content-Type, to the job's owner only", async () => {
      const job = await createJob(server, alice, "echo", {});
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
      await server.prisma.jobArtifact.create({
        data: { jobId: job.id, contentType: "image/png", bytes, size: bytes.length, createdAt: new Date() },
      });
      const response = await fetch(`${server.url}/v1/jobs/${job.id}/artifact`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      expect(response.headers.get("content-length")).toBe(String(bytes.length));
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);

      const foreign = await noWrites(() => server.request(`/v1/jobs/${job.id}/artifact`, { token: bob }));
      expectError(foreign, 404, "NOT_FOUND", { message: "Job not found" });
    });

    it("answers 404 for a job without an artifact, a missing job and a malformed id", async () => {
      const job = await createJob(server, alice, "echo", {});
      expectError(await server.request(`/v1/jobs/${job.id}/artifact`, { token: alice }), 404, "NOT_FOUND", {
        message: "This job has no artifact",
      });
      for (const id of ["0b4c7a52-0000-7000-8000-000000000000", "bad"]) {
        expectError(await server.request(`/v1/jobs/${id}/artifact`, { token: alice }), 404, "NOT_FOUND", {
          message: "Job not found",
        });
      }
    });
  });

  describe("GET /v1/events", () => {
    it("sends one job event per change of the caller's own jobs, with heartbeats", async () => {
      const stream = await openEventStream(server, alice);
      const other = await openEventStream(server, bob);
      try {
        expect(stream.response.status).toBe(200);
        expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
        const job = await createJob(server, alice, "echo", { live: true });
        const created = await stream.next((j) => j.id === job.id);
        expect(created.job).toEqual(job);
        expect(created.id).toBeGreaterThan(0);
        await post(`/v1/jobs/${job.id}/cancel`, alice);
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
      const first = await openEventStream(server, alice);
      const job = await createJob(server, alice, "echo", { resume: 1 });
      const seen = await first.next((j) => j.id === job.id);
      first.close();
      // Missed while disconnected:
      await post(`/v1/jobs/${job.id}/cancel`, alice);
      const retried = JobResponseSchema.parse((await post(`/v1/jobs/${job.id}/retry`, alice)).body).data;

      const resumed = await openEventStream(server, alice, { "last-event-id": String(seen.id) });
      try {
        const a = await resumed.next();
        const b = await resumed.next();
        expect([a.job.id, a.job.status]).toEqual([job.id, "cancelled"]);
        expect([b.job.id, b.job.status]).toEqual([retried.id, "pending"]);
        expect(b.id).toBeGreaterThan(a.id);
        expect(a.id).toBeGreaterThan(seen.id);
        const live = await createJob(server, alice, "echo", { resume: 2 });
        expect((await resumed.next()).job.id).toBe(live.id);
      } finally {
        resumed.close();
      }
    });

    it("opens with a ready event whose id resumes a client that has seen no job event yet", async () => {
      const first = await openEventStream(server, alice);
      const position = await first.readyId();
      expect(first.events[0]).toEqual({ id: String(position), event: "ready", data: "{}" });
      first.close();
      // Changed while the client was away, before it had seen any job event:
      const job = await createJob(server, alice, "echo", { whileAway: true });
      const resumed = await openEventStream(server, alice, { "last-event-id": String(position) });
      try {
        expect((await resumed.next()).job).toEqual(job);
        expect(resumed.events.filter((e) => e.event === "ready")).toEqual([]);
      } finally {
        resumed.close();
      }
    });

    it("starts afresh when Last-Event-ID is beyond every event (a database that was reset)", async () => {
      const stream = await openEventStream(server, alice, { "last-event-id": "999999999999" });
      try {
        const position = await stream.readyId();
        expect(position).toBeLessThan(999999999999);
        const job = await createJob(server, alice, "echo", { afterReset: true });
        const event = await stream.next((j) => j.id === job.id);
        expect(event.id).toBeGreaterThan(position);
      } finally {
        stream.close();
      }
    });

    it("delivers events of jobs changed by another process", async () => {
      // A second runtime on the same database is another process as far as signals go: on
      // PostgreSQL its changes arrive by NOTIFY, on SQLite by the feed's poll.
      const other = await bootSecondRuntime(server.database);
      const stream = await openEventStream(server, alice);
      try {
        const row = await other.store.insertJob(
          {
            id: "0190c1e0-0000-7000-8000-0000000000aa",
            userId: "alice",
            type: "echo",
            resultType: "json",
            payload: { from: "elsewhere" },
            maxAttempts: 3,
            timeoutMs: 1_000,
          },
          new Date(),
        );
        expect((await stream.next((j) => j.id === row.id)).job.payload).toEqual({ from: "elsewhere" });
      } finally {
        stream.close();
        await closeRuntime(other);
      }
    });

    it("is described in the OpenAPI document, like the artifact's binary answer", async () => {
      const doc = (await server.request("/openapi.json")).body as {
        paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
      };
      const events = doc.paths["/v1/events"]!.get;
      expect(Object.keys(events.responses["200"]!.content!)).toEqual(["text/event-stream"]);
      expect(Object.keys(events.responses).sort()).toEqual(["200", "400", "401", "429", "500", "503"]);
      const artifact = doc.paths["/v1/jobs/{jobId}/artifact"]!.get;
      expect(Object.keys(artifact.responses["200"]!.content!)).toContain("image/png");
    });

    it.runIf(provider === "postgresql")("listens again after losing its LISTEN connection", async () => {
      const name = new URL(server.database.url).pathname.slice(1);
      await adminQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND application_name = 'jobdeck-listen'`,
      );
      const deadline = Date.now() + 10_000;
      while (!server.runtime.db.signals.isCrossProcess() && Date.now() < deadline) await delay(20);
      expect(server.runtime.db.signals.isCrossProcess()).toBe(true);
      // A second runtime's change reaches this server's stream by NOTIFY again: well within the
      // slow fallback poll that would otherwise deliver it.
      const other = await bootSecondRuntime(server.database);
      const stream = await openEventStream(server, alice);
      try {
        await delay(100);
        const row = await other.store.insertJob(
          {
            id: "0190c1e0-0000-7000-8000-0000000000bb",
            userId: "alice",
            type: "echo",
            resultType: "json",
            payload: { after: "reconnect" },
            maxAttempts: 3,
            timeoutMs: 1_000,
          },
          new Date(),
        );
        expect((await stream.next((j) => j.id === row.id, 2_000)).job.payload).toEqual({
          after: "reconnect",
        });
      } finally {
        stream.close();
        await closeRuntime(other);
      }
    });

    it("refuses a bad Last-Event-ID, query parameters and a missing token", async () => {
      const bad = await server.request("/v1/events", { token: alice, headers: { "last-event-id": "abc" } });
      expectError(bad, 400, "VALIDATION_FAILED", {
        details: [{ path: "Last-Event-ID", message: "must be the id of an event this stream sent" }],
      });
      const query = await server.request("/v1/events?token=abc", { token: alice });
      expectError(query, 400, "VALIDATION_FAILED", {
        details: [{ path: "token", message: "is not an accepted field" }],
      });
      expectError(await server.request("/v1/events"), 401, "UNAUTHORIZED");
    });

    it("ends open streams when the server shuts down, so clients reconnect elsewhere", async () => {
      const own = await startTestServer(provider, {}, { database: server.database });
      const stream = await openEventStream(own, own.token("alice"));
      expect(stream.response.status).toBe(200);
      own.runtime.feed.close();
      await stream.ended();
      await own.close();
    });
  });
});
