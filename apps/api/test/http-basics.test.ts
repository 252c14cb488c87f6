import { serveSuite } from "./support/suite.js";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";

const providers = await testProviders();

describe.each(providers)("request ids, unknown routes, health and the OpenAPI document on %s", (provider) => {
  const suite = serveSuite(provider);

  it("carries X-Request-Id, echoing a sane one and replacing an unusable one", async () => {
    const echoed = await suite.server.request("/v1/job-types", {
      token: suite.alice,
      headers: { "x-request-id": "trace-123" },
    });
    expect(echoed.headers.get("x-request-id")).toBe("trace-123");
    const made = await suite.server.request("/v1/job-types", { token: suite.alice });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await suite.server.request("/v1/jobs?limit=0", {
      token: suite.alice,
      headers: { "x-request-id": "x".repeat(300) },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((replaced.body as { requestId: string }).requestId).toBe(replaced.headers.get("x-request-id"));
  });

  it("answers unknown /v1 routes with a JSON 404, another method with a 405, and never reveals X-Powered-By", async () => {
    const response = await suite.server.request("/v1/nothing", { token: suite.alice });
    expectError(response, 404, "NOT_FOUND");
    expect(response.headers.get("x-powered-by")).toBeNull();
    const method = await suite.server.request("/v1/job-types", { method: "DELETE", token: suite.alice });
    expectError(method, 405, "METHOD_NOT_ALLOWED");
    expect(method.headers.get("allow")).toBe("GET, HEAD");
  });

  it("serves health, readiness, the OpenAPI document and its reference page without a token", async () => {
    expect((await suite.server.request("/healthz")).body).toEqual({ success: true, status: "ok" });
    expect((await suite.server.request("/readyz")).body).toEqual({
      success: true,
      status: "ready",
      database: provider,
    });
    const openapi = await suite.server.request("/openapi.json");
    expect(openapi.status).toBe(200);
    const doc = openapi.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/healthz",
      "/metrics",
      "/readyz",
      "/v1/bulk-operations",
      "/v1/bulk-operations/{id}",
      "/v1/bulk-operations/{id}/cancel",
      "/v1/events",
      "/v1/job-types",
      "/v1/jobs",
      "/v1/jobs/batch",
      "/v1/jobs/export",
      "/v1/jobs/failure-groups",
      "/v1/jobs/stats",
      "/v1/jobs/{jobId}",
      "/v1/jobs/{jobId}/artifact",
      "/v1/jobs/{jobId}/attempts",
      "/v1/jobs/{jobId}/cancel",
      "/v1/jobs/{jobId}/logs",
      "/v1/jobs/{jobId}/retry",
      "/v1/queues",
      "/v1/queues/{name}",
      "/v1/queues/{name}/pause",
      "/v1/queues/{name}/resume",
      "/v1/retention",
      "/v1/schedules",
      "/v1/schedules/{scheduleId}",
      "/v1/schedules/{scheduleId}/pause",
      "/v1/schedules/{scheduleId}/resume",
      "/v1/schedules/{scheduleId}/trigger",
      "/v1/webhooks",
      "/v1/webhooks/{id}",
      "/v1/webhooks/{id}/deliveries",
      "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
      "/v1/webhooks/{id}/rotate-secret",
      "/v1/webhooks/{id}/test",
    ]);
    const docs = await suite.server.request("/docs/");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("/docs/assets/swagger-ui-bundle.js");
    const bundle = await fetch(`${suite.server.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/javascript/);
  });
});
