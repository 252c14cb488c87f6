import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { closeRuntime } from "../src/boot.js";
import { createHttpServer } from "../src/http/server.js";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { bootSecondRuntime, postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("security headers and CORS on %s", (provider) => {
  let server: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider);
    open = await startTestServer(provider, { CORS_ORIGINS: "https://app.example" });
  });
  afterAll(async () => {
    await server.close();
    await open.close();
  });

  it("sends helmet's headers and no X-Powered-By, on API answers and on errors", async () => {
    for (const response of [
      await server.request("/v1/jobs?limit=1", { token: server.token("a") }),
      await server.request("/v1/jobs?limit=1"),
    ]) {
      expect(response.headers.get("x-powered-by")).toBeNull();
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    }
  });

  it("allows no cross-origin browser access by default", async () => {
    const get = await server.request("/v1/jobs?limit=1", {
      token: server.token("a"),
      headers: { origin: "https://evil.example" },
    });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await server.request("/v1/jobs", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("opens to exactly the origins in CORS_ORIGINS", async () => {
    const preflight = await open.request("/v1/jobs", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
    const other = await open.request("/v1/jobs?limit=1", {
      token: open.token("a"),
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe.each(providers)("rate limits on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider, { RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(() => server.close());

  it("limits each user separately and says when to come back", async () => {
    const alice = server.token("alice");
    for (let i = 0; i < 5; i++) {
      const ok = await server.request("/v1/jobs?limit=1", { token: alice });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("ratelimit-policy")).toMatch(/q=5/);
      expect(ok.headers.get("ratelimit")).toMatch(/r=\d+/);
    }
    const limited = await server.request("/v1/jobs", postJson({ type: "echo", payload: {} }, alice));
    expectError(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit")).toMatch(/r=0/);
    // Another user from the same address is not slowed by alice's burst.
    expect((await server.request("/v1/jobs?limit=1", { token: server.token("bob") })).status).toBe(200);
  });

  it("limits failed authentication per client address", async () => {
    for (let i = 0; i < 5; i++)
      expectError(await server.request("/v1/jobs?limit=1", { token: "bad" }), 401, "UNAUTHORIZED");
    expectError(await server.request("/v1/jobs?limit=1", { token: "bad" }), 429, "RATE_LIMITED");
    // A valid token is still served: it is counted per user, not per address.
    expect((await server.request("/v1/jobs?limit=1", { token: server.token("carol") })).status).toBe(200);
  });

  if (provider === "postgresql") {
    it("shares the count between API processes on one PostgreSQL database", async () => {
      // A second API process on the same database.
      const other = await bootSecondRuntime(server.database, { RATE_LIMIT_PER_MINUTE: "5" });
      const second = createHttpServer(createApp(other));
      await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
      try {
        const url = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
        const dave = server.token("dave");
        for (let i = 0; i < 3; i++)
          expect((await server.request("/v1/jobs?limit=1", { token: dave })).status).toBe(200);
        for (let i = 0; i < 2; i++) {
          expect(
            (await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${dave}` } })).status,
          ).toBe(200);
        }
        expect(
          (await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${dave}` } })).status,
        ).toBe(429);
        expect((await server.request("/v1/jobs?limit=1", { token: dave })).status).toBe(429);
      } finally {
        second.closeAllConnections();
        await new Promise((resolve) => second.close(resolve));
        await closeRuntime(other);
      }
    });
  }
});

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

describe("slow and oversized requests", () => {
  it("answers 408 in the error shape to a client that never finishes its headers", async () => {
    const { createApp } = await import("../src/app.js");
    const server = await startTestServer("sqlite");
    const slow = createHttpServer(createApp(server.runtime), {
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    try {
      const { connect } = await import("node:net");
      const socket = connect((slow.address() as AddressInfo).port, "127.0.0.1");
      socket.write("GET /v1/jobs?limit=1 HTTP/1.1\r\nHost: x\r\n");
      const answer = await new Promise<string>((resolve) => {
        let text = "";
        socket.on("data", (chunk) => (text += chunk.toString()));
        socket.on("close", () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as unknown;
      expect(body).toMatchObject({
        success: false,
        error: { code: "REQUEST_TIMEOUT", message: "The request took too long to arrive" },
      });
    } finally {
      await new Promise((resolve) => slow.close(resolve));
      await server.close();
    }
  });
});
