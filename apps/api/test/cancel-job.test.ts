import { ENDED_STATUSES, JobResponseSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { startTestWorker } from "./support/fixtures.js";
import { endlessType } from "./support/job-types.js";
import { createJob, fetchJob, waitForJob } from "./support/jobs.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

describe.each(providers)("POST /v1/jobs/{jobId}/cancel on %s", (provider) => {
  // No worker in the server: jobs stay where the tests put them.
  const suite = serveSuite(provider);

  /** A worker on the server's runtime whose `sleep` runs until it is cancelled. */
  const startLongWorker = () =>
    startTestWorker(suite.server.runtime, [endlessType("sleep")], { concurrency: 1 });

  it("cancels a pending job at once, with no body and no Content-Type", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", { n: 1 });
    const response = await suite.post(`/v1/jobs/${job.id}/cancel`, suite.alice);
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
        waitReason: null,
      },
    });
    expect(await fetchJob(suite.server, suite.alice, job.id)).toEqual(body.data);
  });

  it("accepts an empty JSON object as the body, and refuses a body that is not JSON", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    const text = await suite.noWrites(() =>
      suite.post(`/v1/jobs/${job.id}/cancel`, suite.alice, {
        headers: { "content-type": "text/plain" },
        body: "please",
      }),
    );
    expectError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    const response = await suite.server.request(`/v1/jobs/${job.id}/cancel`, postJson({}, suite.alice));
    expect(response.status).toBe(200);
  });

  it("cancels a running job through its handler's signal and answers once it has stopped", async () => {
    const worker = startLongWorker();
    try {
      const job = await createJob(suite.server, suite.alice, "sleep", { ms: 600_000 });
      await waitForJob(suite.server, suite.alice, job.id, (j) => j.status === "running");
      const response = await suite.post(`/v1/jobs/${job.id}/cancel`, suite.alice);
      const body = JobResponseSchema.parse(response.body);
      expect(body.message).toBe("Job cancelled");
      expect(body.data).toMatchObject({ status: "cancelled", attempts: 1, result: null, error: null });
    } finally {
      await worker.stop(0);
    }
  });

  it("answers 409 for a job that has ended, writing nothing", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    for (const status of ENDED_STATUSES) {
      await suite.setStatus(job.id, status);
      const response = await suite.noWrites(() => suite.post(`/v1/jobs/${job.id}/cancel`, suite.alice));
      expectError(response, 409, "CONFLICT", {
        message: `Job is already ${status}; only pending or running jobs can be cancelled`,
      });
    }
  });

  it("answers the same 404 for another user's job, a missing one and a malformed id", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    const bodies = [];
    for (const [id, token] of [
      [job.id, suite.bob],
      ["0b4c7a52-0000-7000-8000-000000000000", suite.alice],
      ["nope", suite.alice],
    ] as const) {
      const response = await suite.noWrites(() => suite.post(`/v1/jobs/${id}/cancel`, token));
      bodies.push({
        ...expectError(response, 404, "NOT_FOUND", { message: "Job not found" }),
        requestId: "",
      });
    }
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect((await fetchJob(suite.server, suite.alice, job.id)).status).toBe("pending");
  });

  it("needs a token", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    const response = await suite.noWrites(() =>
      suite.server.request(`/v1/jobs/${job.id}/cancel`, { method: "POST" }),
    );
    expectError(response, 401, "UNAUTHORIZED");
  });
});
