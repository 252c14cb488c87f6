import { JobResponseSchema } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob, fetchJob } from "./support/jobs.js";
import { startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("POST /v1/jobs/{jobId}/retry on %s", (provider) => {
  let server: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    // No worker in the server: jobs stay where the tests put them.
    server = await startTestServer(provider);
    alice = server.token("alice");
    bob = server.token("bob");
  });
  afterAll(() => server.close());

  const noWrites = <T>(fn: () => Promise<T>) => expectNoWrites(server.prisma, fn);
  const post = (path: string, token: string, init: RequestInit = {}) =>
    server.request(path, { method: "POST", token, ...init });
  const setStatus = (id: string, status: string) =>
    server.prisma.job.update({ where: { id }, data: { status } });

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
});
