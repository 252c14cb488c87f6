import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { startTestServer, type TestServer } from "./support/server.js";

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
