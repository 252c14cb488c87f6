import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("GET /metrics on %s", (provider) => {
  let server: TestServer;
  let guarded: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider);
    guarded = await startTestServer(provider, { METRICS_TOKEN: "metrics-token-0123456789" });
  });
  afterAll(async () => {
    await server.close();
    await guarded.close();
  });

  it("exposes request latency by route and status, and jobs by status, in Prometheus text", async () => {
    const token = server.token("alice");
    await server.request("/v1/jobs", postJson({ type: "echo", payload: {} }, token));
    await server.request("/v1/jobs/0b4c7a52-0000-7000-8000-000000000000", { token });
    const response = await server.request("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(response.text).toMatch(
      /jobdeck_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/v1\/jobs",status="201"\}/,
    );
    expect(response.text).toMatch(
      /jobdeck_http_request_duration_seconds_count\{method="GET",route="\/v1\/jobs\/:jobId",status="404"\} 1/,
    );
    expect(response.text).toMatch(/jobdeck_jobs\{status="pending"\} 1/);
    for (const name of [
      "jobdeck_jobs_started_total",
      "jobdeck_jobs_completed_total",
      "jobdeck_jobs_failed_total",
      "jobdeck_worker_lease_renewals_total",
      "jobdeck_worker_lease_losses_total",
    ]) {
      expect(response.text).toContain(`# TYPE ${name} counter`);
    }
    expect(response.text).not.toMatch(/0b4c7a52/);
  });

  it("requires the METRICS_TOKEN when it is set", async () => {
    expectError(await guarded.request("/metrics"), 401, "UNAUTHORIZED");
    expectError(
      await guarded.request("/metrics", { token: "metrics-token-wrong-56789" }),
      401,
      "UNAUTHORIZED",
    );
    expectError(await guarded.request("/metrics", { token: guarded.token("alice") }), 401, "UNAUTHORIZED");
    expect((await guarded.request("/metrics", { token: "metrics-token-0123456789" })).status).toBe(200);
  });
});
