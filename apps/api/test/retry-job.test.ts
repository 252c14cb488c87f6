import { serveSuite } from "./support/suite.js";
import { JobResponseSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob, fetchJob } from "./support/jobs.js";
import { postJson } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("POST /v1/jobs/{jobId}/retry on %s", (provider) => {
  // No worker in the server: jobs stay where the tests put them.
  const suite = serveSuite(provider);

  it("creates a new pending job with the same type and payload once the original has ended", async () => {
    const job = await createJob(suite.server, suite.alice, "markdown.render", { markdown: "# again" });
    await suite.setStatus(job.id, "failed");
    const response = await suite.post(`/v1/jobs/${job.id}/retry`, suite.alice);
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
      retryOf: job.id,
    });
    expect(body.data.id).not.toBe(job.id);
    expect((await fetchJob(suite.server, suite.alice, job.id)).status).toBe("failed");
    expect(await fetchJob(suite.server, suite.alice, body.data.id)).toEqual(body.data);
  });

  it("keeps the original's tags and metadata (§15)", async () => {
    const created = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: {}, tags: ["b", "a"], metadata: { team: "x", n: 3 } }, suite.alice),
    );
    const job = JobResponseSchema.parse(created.body).data;
    await suite.setStatus(job.id, "completed");
    const response = await suite.post(`/v1/jobs/${job.id}/retry`, suite.alice);
    expect(JobResponseSchema.parse(response.body).data).toMatchObject({
      retryOf: job.id,
      tags: ["b", "a"],
      metadata: { team: "x", n: 3 },
    });
  });

  it("answers 409 while the original is pending or running, writing nothing", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    for (const status of ["pending", "running"]) {
      await suite.setStatus(job.id, status);
      const response = await suite.noWrites(() => suite.post(`/v1/jobs/${job.id}/retry`, suite.alice));
      expectError(response, 409, "CONFLICT", {
        message: `Job is still ${status}; only completed, failed or cancelled jobs can be retried`,
      });
    }
  });

  it("answers 409 when the job's type is no longer registered", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    await suite.server.prisma.job.update({
      where: { id: job.id },
      data: { status: "completed", type: "gone.away" },
    });
    const response = await suite.noWrites(() => suite.post(`/v1/jobs/${job.id}/retry`, suite.alice));
    expectError(response, 409, "CONFLICT", { message: "Job type gone.away is not registered any more" });
  });

  it("answers the same 404 for another user's job, a missing one and a malformed id", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    await suite.setStatus(job.id, "completed");
    for (const [id, token] of [
      [job.id, suite.bob],
      ["0b4c7a52-0000-7000-8000-000000000000", suite.alice],
      ["x", suite.alice],
    ] as const) {
      const response = await suite.noWrites(() => suite.post(`/v1/jobs/${id}/retry`, token));
      expectError(response, 404, "NOT_FOUND", { message: "Job not found" });
    }
  });
});
