import { serveSuite } from "./support/suite.js";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob } from "./support/jobs.js";

const providers = await testProviders();

describe.each(providers)("GET /v1/jobs/{jobId}/artifact on %s", (provider) => {
  // No worker in the server: jobs stay where the tests put them.
  const suite = serveSuite(provider);

  it("serves the bytes with their own Content-Type, to the job's owner only", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    await suite.server.prisma.jobArtifact.create({
      data: { jobId: job.id, contentType: "image/png", bytes, size: bytes.length, createdAt: new Date() },
    });
    const response = await fetch(`${suite.server.url}/v1/jobs/${job.id}/artifact`, {
      headers: { authorization: `Bearer ${suite.alice}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);

    const foreign = await suite.noWrites(() =>
      suite.server.request(`/v1/jobs/${job.id}/artifact`, { token: suite.bob }),
    );
    expectError(foreign, 404, "NOT_FOUND", { message: "Job not found" });
  });

  it("answers 404 for a job without an artifact, a missing job and a malformed id", async () => {
    const job = await createJob(suite.server, suite.alice, "echo", {});
    expectError(
      await suite.server.request(`/v1/jobs/${job.id}/artifact`, { token: suite.alice }),
      404,
      "NOT_FOUND",
      {
        message: "This job has no artifact",
      },
    );
    for (const id of ["0b4c7a52-0000-7000-8000-000000000000", "bad"]) {
      expectError(
        await suite.server.request(`/v1/jobs/${id}/artifact`, { token: suite.alice }),
        404,
        "NOT_FOUND",
        {
          message: "Job not found",
        },
      );
    }
  });
});
