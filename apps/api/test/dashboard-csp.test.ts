import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

/** `a 'x';b 'y' z` as { a: ["'x'"], b: ["'y'", "z"] }. */
const directivesOf = (policy: string): Record<string, string[]> =>
  Object.fromEntries(
    policy
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );

// The policy does not depend on the database: SQLite alone.
describe("the Content-Security-Policy of the dashboard and /docs", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await server.close();
  });

  it("never asks the browser to upgrade to https, so the dashboard renders over plain HTTP on any address", async () => {
    for (const path of ["/", "/jobs", "/docs/"]) {
      const response = await fetch(server.url + path, { headers: { accept: "text/html" } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy, path).not.toContain("upgrade-insecure-requests");
      // The whole policy, so that a new default of helmet's shows up here.
      expect(directivesOf(policy), path).toEqual({
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "font-src": ["'self'", "https:", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "img-src": ["'self'", "data:", "blob:"],
        "object-src": ["'none'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
      });
    }
  });
});
