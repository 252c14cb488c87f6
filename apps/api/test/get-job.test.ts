import { JobResponseSchema, type Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

describe.each(providers)("GET /v1/jobs/{jobId} on %s", (provider) => {
  const suite = serveSuite(provider);

  const create = async (token: string, type: string, payload: unknown): Promise<Job> => {
    const response = await suite.server.request("/v1/jobs", postJson({ type, payload }, token));
    expect(response.status).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  };
  it("returns the caller's job", async () => {
    const job = await create(suite.alice, "echo", { n: 1 });
    const response = await suite.server.request(`/v1/jobs/${job.id}`, { token: suite.alice });
    expect(response.status).toBe(200);
    expect(JobResponseSchema.parse(response.body)).toEqual({
      success: true,
      data: job,
      message: "Job retrieved",
    });
  });

  it("answers the same 404 for a missing job, another user's job and a malformed id", async () => {
    const job = await create(suite.alice, "echo", { secret: true });
    const ids = [
      job.id,
      "0b4c7a52-0000-7000-8000-000000000000",
      "not-a-uuid",
      "%27%20OR%201%3D1--",
      "stats.json",
    ];
    const bodies = [];
    for (const id of ids) {
      const token = id === job.id ? suite.bob : suite.alice;
      const response = await suite.server.request(`/v1/jobs/${id}`, { token });
      const body = expectError(response, 404, "NOT_FOUND", { message: "Job not found" });
      bodies.push({ ...body, requestId: "" });
    }
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });
});
