import { JobResponseSchema, ListJobsResponseSchema } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { createJob } from "./support/jobs.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

/**
 * The HTTP details integrators trip on (docs/api.md §1.3, §2, §3.3, §5.1, §6): 405 with Allow, a
 * Location on every 201, RFC 6750's challenge, list filters with spaces after commas, and unknown
 * query parameters refused on every route.
 */
const providers = await testProviders();

const ID = "0190c1e0-0000-7000-8000-000000000001";

describe.each(providers)("HTTP details on %s", (provider) => {
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer(provider, {
      METRICS_TOKEN: "metrics-token-0123456789",
      CORS_ORIGINS: "https://app.example",
    });
    alice = server.token("alice");
  });
  afterAll(() => server.close());

  const noWrites = <T>(fn: () => Promise<T>) => expectNoWrites(server.prisma, fn);

  describe("a method a documented path does not have", () => {
    it("is a 405 METHOD_NOT_ALLOWED with Allow, after authentication and before the body is read", async () => {
      const cases: [string, string, string][] = [
        ["DELETE", "/v1/job-types", "GET, HEAD"],
        ["PUT", "/v1/jobs", "GET, HEAD, POST"],
        ["PATCH", "/v1/jobs/", "GET, HEAD, POST"],
        ["POST", "/v1/jobs/stats", "GET, HEAD"],
        ["DELETE", `/v1/jobs/${ID}`, "GET, HEAD"],
        ["GET", `/v1/jobs/${ID}/cancel`, "POST"],
        ["HEAD", `/v1/jobs/${ID}/retry`, "POST"],
        ["POST", `/v1/jobs/${ID}/artifact`, "GET, HEAD"],
        ["POST", "/v1/events", "GET, HEAD"],
        ["DELETE", "/V1/JOBS", "GET, HEAD, POST"],
      ];
      for (const [method, path, allow] of cases) {
        const response = await noWrites(() =>
          server.request(path, {
            method,
            token: alice,
            // A body that would be a 415: the method is refused first.
            ...(method === "HEAD" || method === "GET"
              ? {}
              : { headers: { "content-type": "text/plain" }, body: "x" }),
          }),
        );
        expect({ method, path, status: response.status, allow: response.headers.get("allow") }).toEqual({
          method,
          path,
          status: 405,
          allow,
        });
        if (method !== "HEAD") {
          expectError(response, 405, "METHOD_NOT_ALLOWED", {
            message: `${method} is not allowed here; this path allows ${allow}`,
          });
        }
      }
    });

    it("is a 405 on /healthz, /readyz and /metrics too, and unknown paths stay 404", async () => {
      for (const path of ["/healthz", "/readyz", "/metrics"]) {
        const response = await server.request(path, { method: "POST" });
        expectError(response, 405, "METHOD_NOT_ALLOWED");
        expect(response.headers.get("allow")).toBe("GET, HEAD");
      }
      expectError(await server.request("/v1/nothing", { method: "DELETE", token: alice }), 404, "NOT_FOUND");
      expectError(await server.request("/nothing", { method: "POST" }), 404, "NOT_FOUND");
      expectError(
        await server.request(`/v1/jobs/${ID}/more`, { method: "POST", token: alice }),
        404,
        "NOT_FOUND",
      );
    });

    it("still answers 401 first without a token, and HEAD wherever GET is allowed", async () => {
      expectError(await server.request("/v1/jobs", { method: "DELETE" }), 401, "UNAUTHORIZED");
      const head = await server.request("/v1/job-types", { method: "HEAD", token: alice });
      expect(head.status).toBe(200);
    });
  });

  describe("every 201", () => {
    it("carries the new job's URL in Location, a replay too", async () => {
      const headers = { "content-type": "application/json", "idempotency-key": "location-1" };
      const init = { ...postJson({ type: "echo", payload: { n: 1 } }, alice), headers };
      const created = await server.request("/v1/jobs", init);
      expect(created.status).toBe(201);
      const job = JobResponseSchema.parse(created.body).data;
      expect(created.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
      const fetched = await server.request(created.headers.get("location")!, { token: alice });
      expect(JobResponseSchema.parse(fetched.body).data).toEqual(job);

      const replayed = await server.request("/v1/jobs", init);
      expect(replayed.headers.get("idempotent-replayed")).toBe("true");
      expect(replayed.headers.get("location")).toBe(`/v1/jobs/${job.id}`);

      await server.request(`/v1/jobs/${job.id}/cancel`, { method: "POST", token: alice });
      const retried = await server.request(`/v1/jobs/${job.id}/retry`, { method: "POST", token: alice });
      expect(retried.status).toBe(201);
      const retry = JobResponseSchema.parse(retried.body).data;
      expect(retry.id).not.toBe(job.id);
      expect(retried.headers.get("location")).toBe(`/v1/jobs/${retry.id}`);
    });
  });

  it("lets a browser on an allowed origin read Location, Allow and WWW-Authenticate", async () => {
    const response = await server.request("/v1/job-types", { headers: { origin: "https://app.example" } });
    expect(response.headers.get("access-control-expose-headers")?.split(",")).toEqual(
      expect.arrayContaining(["Location", "Allow", "WWW-Authenticate", "X-Request-Id"]),
    );
  });

  describe("WWW-Authenticate (RFC 6750 §3.1)", () => {
    const challenge = async (authorization?: string) => {
      const response = await server.request("/v1/jobs?limit=1", {
        headers: authorization === undefined ? {} : { authorization },
      });
      expectError(response, 401, "UNAUTHORIZED");
      return response.headers.get("www-authenticate");
    };

    it("is the bare challenge when no Bearer token was sent", async () => {
      for (const header of [undefined, "", "Basic YWxpY2U6cHc=", "Bearer", "Bearer   "]) {
        expect(await challenge(header), String(header)).toBe('Bearer realm="jobdeck"');
      }
    });

    it('says error="invalid_token" when a token was sent and refused', async () => {
      const expired = server.signRaw({ sub: "alice", exp: Math.floor(Date.now() / 1000) - 3600 });
      for (const header of ["Bearer abc.def.ghi", `Bearer ${expired}`, `Bearer ${alice} extra`, "bearer x"]) {
        expect(await challenge(header), header).toBe('Bearer realm="jobdeck", error="invalid_token"');
      }
    });

    it("has its own realm on /metrics, with invalid_token for a wrong metrics token", async () => {
      const missing = await server.request("/metrics");
      expectError(missing, 401, "UNAUTHORIZED");
      expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="jobdeck-metrics"');
      const wrong = await server.request("/metrics", { token: "metrics-token-wrong-56789" });
      expect(wrong.headers.get("www-authenticate")).toBe(
        'Bearer realm="jobdeck-metrics", error="invalid_token"',
      );
    });
  });

  describe("list filters", () => {
    let bob: string;
    beforeAll(async () => {
      bob = server.token("bob-filters");
      await createJob(server, bob, "echo", {});
      await createJob(server, bob, "sleep", { ms: 1 });
      await createJob(server, bob, "markdown.render", { markdown: "# hi" });
    });

    const typesOf = async (query: string) => {
      const response = await server.request(`/v1/jobs?limit=10&${query}`, { token: bob });
      expect(response.status, `${query}: ${response.text}`).toBe(200);
      return ListJobsResponseSchema.parse(response.body)
        .data.map((job) => job.type)
        .sort();
    };

    it("ignore white space around each value, for every list parameter", async () => {
      expect(await typesOf("type=echo,sleep")).toEqual(["echo", "sleep"]);
      expect(await typesOf("type=echo, sleep")).toEqual(["echo", "sleep"]);
      expect(await typesOf("type=%20echo%09,%09sleep%20")).toEqual(["echo", "sleep"]);
      expect(await typesOf("type=echo,+sleep")).toEqual(["echo", "sleep"]);
      expect(await typesOf("status=pending, failed")).toEqual(["echo", "markdown.render", "sleep"]);
      expect(await typesOf("resultType=html, json&type=echo, markdown.render")).toEqual([
        "echo",
        "markdown.render",
      ]);
      const stats = await server.request("/v1/jobs/stats?type=echo, sleep&status=pending,  running", {
        token: bob,
      });
      expect(stats.status, stats.text).toBe(200);
      expect((stats.body as { data: { total: number } }).data.total).toBe(2);
    });

    it("still refuse an item that is empty once trimmed", async () => {
      for (const query of ["type=echo,%20", "status=pending,,failed", "resultType=%20"]) {
        const response = await server.request(`/v1/jobs?limit=1&${query}`, { token: bob });
        expectError(response, 400, "VALIDATION_FAILED");
      }
    });

    it("bind cursors to the trimmed values: the same filters with or without spaces share cursors", async () => {
      const first = await server.request("/v1/jobs?limit=1&type=echo,sleep", { token: bob });
      const cursor = ListJobsResponseSchema.parse(first.body).pagination.nextCursor!;
      const next = await server.request(
        `/v1/jobs?limit=1&type=sleep, echo&cursor=${encodeURIComponent(cursor)}`,
        { token: bob },
      );
      expect(next.status, next.text).toBe(200);
      const other = await server.request(
        `/v1/jobs?limit=1&type=sleep, markdown.render&cursor=${encodeURIComponent(cursor)}`,
        { token: bob },
      );
      expectError(other, 400, "INVALID_CURSOR");
    });
  });

  describe("unknown query parameters", () => {
    it("are a 400 naming each one on every route, and nothing is written", async () => {
      const job = await createJob(server, alice, "echo", {});
      const routes: [string, RequestInit][] = [
        ["/v1/job-types", {}],
        [`/v1/jobs/${job.id}`, {}],
        [`/v1/jobs/${job.id}/artifact`, {}],
        [`/v1/jobs/${job.id}/cancel`, { method: "POST" }],
        [`/v1/jobs/${job.id}/retry`, { method: "POST" }],
        ["/v1/jobs", postJson({ type: "echo", payload: {} })],
        ["/v1/events", {}],
        ["/v1/jobs/stats", {}],
      ];
      for (const [path, init] of routes) {
        const response = await noWrites(() =>
          server.request(`${path}?verbose=1&x`, { ...init, token: alice }),
        );
        expectError(response, 400, "VALIDATION_FAILED", {
          details: [
            { path: "verbose", message: "is not an accepted field" },
            { path: "x", message: "is not an accepted field" },
          ],
        });
      }
    });
  });
});
