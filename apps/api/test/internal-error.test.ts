import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("an unexpected failure on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider);
  });
  afterAll(() => server.close());

  it("answers 500 INTERNAL_ERROR with no stack trace, SQL or file path in the body", async () => {
    // A schema that lost its table: a bug or an operator's mistake, never the client's fault. Renamed
    // rather than dropped: on PostgreSQL functions take its row type (jobdeck_job_data), which a
    // DROP would have to cascade to.
    await server.prisma.$executeRawUnsafe(`ALTER TABLE "jobs" RENAME TO "jobs_lost"`);
    const response = await server.request("/v1/jobs?limit=5", { token: server.token("alice") });
    const body = expectError(response, 500, "INTERNAL_ERROR", {
      message: "Something went wrong on our side",
    });
    expect(body.error.details).toBeUndefined();
    expect(response.text).not.toMatch(/jobs|SELECT|\/work\/|\.ts|\.js|at /);
  });
});
