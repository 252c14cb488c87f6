import {
  JobResponseSchema,
  ListJobsResponseSchema,
  ListJobTypesResponseSchema,
  type Job,
} from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("jobs API on %s", (provider) => {
  let server: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    server = await startTestServer(provider);
    alice = server.token("alice");
    bob = server.token("bob");
  });
  afterAll(() => server.close());

  const create = async (token: string, type: string, payload: unknown): Promise<Job> => {
    const response = await server.request("/v1/jobs", postJson({ type, payload }, token));
    expect(response.status).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  };
  const noWrites = <T>(fn: () => Promise<T>) => expectNoWrites(server.prisma, fn);

  describe("POST /v1/jobs", () => {
    it("creates a pending job owned by the caller and answers 201 with the whole job", async () => {
      const before = Date.now();
      const response = await server.request(
        "/v1/jobs",
        postJson({ type: "echo", payload: { hello: "world" } }, alice),
      );
      expect(response.status).toBe(201);
      const body = JobResponseSchema.parse(response.body);
      expect(body).toEqual({
        success: true,
        message: "Job created",
        data: {
          id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
          type: "echo",
          status: "pending",
          resultType: "json",
          payload: { hello: "world" },
          result: null,
          error: null,
          attempts: 0,
          maxAttempts: 3,
          createdAt: body.data.createdAt,
          updatedAt: body.data.createdAt,
          startedAt: null,
          finishedAt: null,
        },
      });
      expect(Date.parse(body.data.createdAt)).toBeGreaterThanOrEqual(before - 1);
      const row = await server.prisma.job.findUniqueOrThrow({ where: { id: body.data.id } });
      expect(row.userId).toBe("alice");
    });

    it("stores the payload exactly as submitted, including unicode and nesting", async () => {
      const payload = {
        text: 'héllo 👋 \u2028 "q" end',
        list: [1, 2.5, null, true, { deep: ["x"] }],
        empty: {},
      };
      const job = await create(alice, "echo", payload);
      expect(job.payload).toEqual(payload);
    });

    it("refuses U+0000 and lone surrogates anywhere in the body (PostgreSQL cannot store them) on every database", async () => {
      const inValue = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "echo", payload: { list: ["ok", "bad\u0000"] } }, alice)),
      );
      expectError(inValue, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload.list.1", message: "must be valid Unicode text without U+0000" }],
      });
      const inKey = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "echo", payload: { "a\u0000": 1 } }, alice)),
      );
      expectError(inKey, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload", message: "must be valid Unicode text without U+0000" }],
      });
      // Valid JSON escapes that are not Unicode: a high surrogate alone, a low one alone, one as a key.
      for (const raw of [
        '{"type":"echo","payload":{"a":"\\ud800x"}}',
        '{"type":"echo","payload":{"a":"x\\udfff"}}',
        '{"type":"echo","payload":{"\\udc00":1}}',
      ]) {
        const lone = await noWrites(() =>
          server.request("/v1/jobs", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: raw,
            token: alice,
          }),
        );
        expectError(lone, 400, "VALIDATION_FAILED", {
          message: /must be valid Unicode text without U\+0000$/,
        });
      }
      const pair = await server.request(
        "/v1/jobs",
        postJson({ type: "echo", payload: { emoji: "\ud83d\ude00" } }, alice),
      );
      expect(pair.status).toBe(201);
    });

    it("takes the type's maxAttempts and resultType", async () => {
      const job = await create(alice, "markdown.render", { markdown: "# hi" });
      expect(job).toMatchObject({ resultType: "html", maxAttempts: 3, status: "pending" });
      const thumb = await create(alice, "image.thumbnail", {
        source: "data:image/png;base64,iVBORw0KGgo=",
        width: 10,
        format: "png",
      });
      expect(thumb.resultType).toBe("image");
    });

    it("refuses an unknown type with the known ones in details, writing nothing", async () => {
      const response = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "nope", payload: {} }, alice)),
      );
      expectError(response, 400, "VALIDATION_FAILED", {
        message:
          "type: is not a known job type; known types: echo, sleep, markdown.render, http.request, image.thumbnail",
        details: [
          {
            path: "type",
            message:
              "is not a known job type; known types: echo, sleep, markdown.render, http.request, image.thumbnail",
          },
        ],
      });
    });

    it("refuses a payload its type's schema refuses, naming the field", async () => {
      const response = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "sleep", payload: { ms: -1 } }, alice)),
      );
      expectError(response, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload.ms", message: "must be at least 0" }],
      });
      const tooLong = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "sleep", payload: { ms: 600_001 } }, alice)),
      );
      expectError(tooLong, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload.ms", message: "must be at most 600000" }],
      });
      const extra = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "sleep", payload: { ms: 1, other: true } }, alice)),
      );
      expectError(extra, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload.other", message: "is not an accepted field" }],
      });
      for (const payload of [[1, 2], null, "text", 5]) {
        const notObject = await noWrites(() =>
          server.request("/v1/jobs", postJson({ type: "echo", payload }, alice)),
        );
        expectError(notObject, 400, "VALIDATION_FAILED", {
          details: [
            { path: "payload", message: /^must be an object, not (an array|null|a string|a number)$/ },
          ],
        });
      }
      const badUrl = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "http.request", payload: { url: "ftp://x" } }, alice)),
      );
      expectError(badUrl, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload.url", message: "must be an http or https URL" }],
      });
    });

    it("requires type and payload and accepts no other field", async () => {
      const cases: [unknown, { path: string; message: string | RegExp }[]][] = [
        [{ payload: {} }, [{ path: "type", message: "is required" }]],
        [{ type: "echo" }, [{ path: "payload", message: "is required" }]],
        [{ type: 5, payload: {} }, [{ path: "type", message: "must be a string" }]],
        [{ type: "", payload: {} }, [{ path: "type", message: "must not be empty" }]],
        [
          { type: "echo", payload: {}, status: "completed" },
          [{ path: "status", message: "is not an accepted field" }],
        ],
        [
          { type: "echo", payload: {}, userId: "bob" },
          [{ path: "userId", message: "is not an accepted field" }],
        ],
        [[], [{ path: "", message: "must be an object, not an array" }]],
      ];
      for (const [body, details] of cases) {
        const response = await noWrites(() => server.request("/v1/jobs", postJson(body, alice)));
        expectError(response, 400, "VALIDATION_FAILED", { details });
      }
    });

    it("answers 400 for malformed JSON, 413 above 1 MiB and 415 for other media types", async () => {
      const malformed = await noWrites(() =>
        server.request("/v1/jobs", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"type":',
          token: alice,
        }),
      );
      expectError(malformed, 400, "VALIDATION_FAILED", {
        details: [{ path: "body", message: "is not valid JSON" }],
      });

      const big = JSON.stringify({ type: "echo", payload: { blob: "x".repeat(1024 * 1024) } });
      const tooLarge = await noWrites(() =>
        server.request("/v1/jobs", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: big,
          token: alice,
        }),
      );
      expectError(tooLarge, 413, "PAYLOAD_TOO_LARGE");

      for (const type of [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ]) {
        const unsupported = await noWrites(() =>
          server.request("/v1/jobs", {
            method: "POST",
            headers: { "content-type": type },
            body: '{"type":"echo","payload":{}}',
            token: alice,
          }),
        );
        expectError(unsupported, 415, "UNSUPPORTED_MEDIA_TYPE");
      }
      const noType = await noWrites(() =>
        server.request("/v1/jobs", {
          method: "POST",
          body: new Blob(['{"type":"echo","payload":{}}']),
          token: alice,
        }),
      );
      expectError(noType, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("accepts JSON nested 64 levels deep and refuses 65", async () => {
      const nest = (levels: number) => {
        let value: unknown = {};
        for (let i = 1; i < levels; i++) value = { a: value };
        return value;
      };
      // The body object is level 1 and `payload` level 2, so a payload of depth 63 makes 64.
      const ok = await server.request("/v1/jobs", postJson({ type: "echo", payload: nest(63) }, alice));
      expect(ok.status).toBe(201);
      const deep = await noWrites(() =>
        server.request("/v1/jobs", postJson({ type: "echo", payload: nest(64) }, alice)),
      );
      expectError(deep, 400, "VALIDATION_FAILED", {
        details: [{ path: "body", message: "must not nest deeper than 64 levels" }],
      });
      const hostile = "[".repeat(200_000) + "]".repeat(200_000);
      const veryDeep = await noWrites(() =>
        server.request("/v1/jobs", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: hostile,
          token: alice,
        }),
      );
      expect(veryDeep.status).toBe(400);
    });
  });

  describe("GET /v1/jobs/{jobId}", () => {
    it("returns the caller's job", async () => {
      const job = await create(alice, "echo", { n: 1 });
      const response = await server.request(`/v1/jobs/${job.id}`, { token: alice });
      expect(response.status).toBe(200);
      expect(JobResponseSchema.parse(response.body)).toEqual({
        success: true,
        data: job,
        message: "Job retrieved",
      });
    });

    it("answers the same 404 for a missing job, another user's job and a malformed id", async () => {
      const job = await create(alice, "echo", { secret: true });
      const ids = [
        job.id,
        "0b4c7a52-0000-7000-8000-000000000000",
        "not-a-uuid",
        "%27%20OR%201%3D1--",
        "stats.json",
      ];
      const bodies = [];
      for (const id of ids) {
        const token = id === job.id ? bob : alice;
        const response = await server.request(`/v1/jobs/${id}`, { token });
        const body = expectError(response, 404, "NOT_FOUND", { message: "Job not found" });
        bodies.push({ ...body, requestId: "" });
      }
      for (const body of bodies) expect(body).toEqual(bodies[0]);
    });
  });

  describe("GET /v1/jobs", () => {
    let bobJobs: Job[];
    beforeAll(async () => {
      bobJobs = [];
      bobJobs.push(await create(bob, "echo", { i: 1 }));
      bobJobs.push(await create(bob, "markdown.render", { markdown: "*x*" }));
      bobJobs.push(await create(bob, "sleep", { ms: 5 }));
      bobJobs.push(await create(bob, "echo", { i: 2 }));
      await server.prisma.job.update({
        where: { id: bobJobs[2]!.id },
        data: { status: "failed" },
      });
    });

    const list = async (token: string, query: string) => {
      const response = await server.request(`/v1/jobs?${query}`, { token });
      expect(response.status, response.text).toBe(200);
      return ListJobsResponseSchema.parse(response.body);
    };

    it("lists only the caller's jobs, newest first, with the whole body", async () => {
      const page = await list(bob, "limit=10");
      expect(page).toEqual({
        success: true,
        data: (
          await Promise.all(
            [...bobJobs]
              .reverse()
              .map(async (j) => (await server.request(`/v1/jobs/${j.id}`, { token: bob })).body),
          )
        ).map((b) => JobResponseSchema.parse(b).data),
        pagination: { limit: 10, nextCursor: null, hasMore: false },
      });
      const carol = await list(server.token("carol"), "limit=5");
      expect(carol).toEqual({
        success: true,
        data: [],
        pagination: { limit: 5, nextCursor: null, hasMore: false },
      });
    });

    it("filters by type, status and resultType, each a comma-separated list", async () => {
      const ids = (page: { data: Job[] }) => page.data.map((j) => j.id).sort();
      expect(ids(await list(bob, "limit=10&type=echo"))).toEqual([bobJobs[0]!.id, bobJobs[3]!.id].sort());
      expect(ids(await list(bob, "limit=10&type=echo,sleep"))).toEqual(
        [bobJobs[0]!.id, bobJobs[2]!.id, bobJobs[3]!.id].sort(),
      );
      expect(ids(await list(bob, "limit=10&status=failed"))).toEqual([bobJobs[2]!.id]);
      expect(ids(await list(bob, "limit=10&status=pending,failed&type=sleep"))).toEqual([bobJobs[2]!.id]);
      expect(ids(await list(bob, "limit=10&resultType=html"))).toEqual([bobJobs[1]!.id]);
      expect(ids(await list(bob, "limit=10&type=no.such.type"))).toEqual([]);
      expect(ids(await list(bob, "limit=10&resultType=nothing"))).toEqual([]);
    });

    it("filters by created range, inclusive at both ends", async () => {
      const at = (j: Job) => Date.parse(j.createdAt);
      const first = bobJobs[0]!;
      const last = bobJobs[3]!;
      const all = await list(bob, `limit=10&createdFrom=${at(first)}&createdTo=${at(last)}`);
      expect(all.data).toHaveLength(4);
      const exact = await list(bob, `limit=10&createdFrom=${at(last)}&createdTo=${at(last)}`);
      expect(exact.data.map((j) => j.id)).toContain(last.id);
      const none = await list(bob, `limit=10&createdTo=${at(first) - 1}`);
      expect(none.data).toEqual([]);
    });

    it("sorts by every field in both orders, ties broken by id", async () => {
      for (const sortBy of ["createdAt", "updatedAt", "type", "status"] as const) {
        for (const sortOrder of ["asc", "desc"] as const) {
          const page = await list(bob, `limit=100&sortBy=${sortBy}&sortOrder=${sortOrder}`);
          const key = (j: Job) => [
            sortBy.endsWith("At") ? Date.parse(j[sortBy]).toString().padStart(15, "0") : j[sortBy],
            j.id,
          ];
          const sorted = [...page.data].sort((a, b) => {
            const [ka, kb] = [key(a), key(b)];
            const cmp = ka[0]! < kb[0]! ? -1 : ka[0]! > kb[0]! ? 1 : ka[1]! < kb[1]! ? -1 : 1;
            return sortOrder === "asc" ? cmp : -cmp;
          });
          expect(page.data.map((j) => j.id)).toEqual(sorted.map((j) => j.id));
        }
      }
    });

    it("walks pages with nextCursor, limits may differ page to page", async () => {
      const first = await list(bob, "limit=1&sortBy=type&sortOrder=asc");
      expect(first.pagination).toMatchObject({ limit: 1, hasMore: true });
      const second = await list(
        bob,
        `limit=2&sortBy=type&sortOrder=asc&cursor=${first.pagination.nextCursor}`,
      );
      expect(second.pagination).toMatchObject({ limit: 2, hasMore: true });
      const third = await list(
        bob,
        `limit=5&sortBy=type&sortOrder=asc&cursor=${second.pagination.nextCursor}`,
      );
      expect(third.pagination).toEqual({ limit: 5, nextCursor: null, hasMore: false });
      const seen = [...first.data, ...second.data, ...third.data].map((j) => j.id);
      expect(new Set(seen).size).toBe(4);
      expect(seen.sort()).toEqual(bobJobs.map((j) => j.id).sort());
    });

    it("accepts a cursor when list filters are given in another order", async () => {
      const first = await list(bob, "limit=1&type=echo,sleep");
      const next = await list(bob, `limit=5&type=sleep,echo,echo&cursor=${first.pagination.nextCursor}`);
      expect(next.data).toHaveLength(2);
    });

    it("refuses altered, foreign and mismatched cursors with INVALID_CURSOR", async () => {
      const first = await list(bob, "limit=1&status=pending");
      const cursor = first.pagination.nextCursor!;
      const bytes = Buffer.from(cursor, "base64url");
      const flipped = Buffer.from(bytes);
      flipped[2] = flipped[2]! ^ 1;
      const lastFlipped = Buffer.from(bytes);
      lastFlipped[lastFlipped.length - 1] = lastFlipped[lastFlipped.length - 1]! ^ 0x80;
      const cases: [string, string][] = [
        [bob, `limit=1&status=pending&cursor=${flipped.toString("base64url")}`],
        [bob, `limit=1&status=pending&cursor=${lastFlipped.toString("base64url")}`],
        [bob, `limit=1&status=pending&cursor=${cursor}AA`],
        [bob, `limit=1&status=pending&cursor=${cursor.slice(0, -2)}`],
        [alice, `limit=1&status=pending&cursor=${cursor}`],
        [bob, `limit=1&status=failed&cursor=${cursor}`],
        [bob, `limit=1&cursor=${cursor}`],
        [bob, `limit=1&status=pending&sortBy=type&cursor=${cursor}`],
        [bob, `limit=1&status=pending&sortOrder=asc&cursor=${cursor}`],
        [bob, `limit=1&status=pending&createdFrom=0&cursor=${cursor}`],
        [bob, `limit=1&status=pending&cursor=not*base64`],
        [bob, `limit=1&status=pending&cursor=${Buffer.from('[1,"x"]').toString("base64url")}`],
        [bob, `limit=1&status=pending&cursor=AAAA`],
      ];
      for (const [token, query] of cases) {
        const response = await server.request(`/v1/jobs?${query}`, { token });
        expectError(response, 400, "INVALID_CURSOR", {
          details: [{ path: "cursor", message: "is not a cursor this list returned" }],
        });
      }
    });

    it("answers 400 naming the field for bad, unknown or repeated parameters", async () => {
      const cases: [string, { path: string; message: string | RegExp }[]][] = [
        ["", [{ path: "limit", message: "is required" }]],
        ["limit=0", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=101", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=abc", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=1.5", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=-1", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=1e1", [{ path: "limit", message: "must be an integer between 1 and 100" }]],
        ["limit=1&limit=2", [{ path: "limit", message: "must be a string, not an array" }]],
        ["limit=1&page=2", [{ path: "page", message: "is not an accepted field" }]],
        [
          "limit=1&status=done",
          [{ path: "status", message: /must be one of pending, running, completed, failed, cancelled/ }],
        ],
        ["limit=1&status=pending,", [{ path: "status", message: /must be one of/ }]],
        [
          "limit=1&sortBy=id",
          [{ path: "sortBy", message: "must be one of createdAt, updatedAt, type, status" }],
        ],
        ["limit=1&sortOrder=up", [{ path: "sortOrder", message: "must be one of desc, asc" }]],
        ["limit=1&createdFrom=yesterday", [{ path: "createdFrom", message: /must be an integer/ }]],
        [
          "limit=1&createdFrom=10&createdTo=9",
          [{ path: "createdFrom", message: "must not be after createdTo" }],
        ],
        ["limit=1&type=", [{ path: "type", message: /must be job type names/ }]],
        ["limit=1&type[a]=b", [{ path: "type[a]", message: "is not an accepted field" }]],
      ];
      for (const [query, details] of cases) {
        const response = await server.request(`/v1/jobs?${query}`, { token: bob });
        expectError(response, 400, "VALIDATION_FAILED", { details });
      }
    });
  });

  describe("GET /v1/job-types", () => {
    it("lists the five built-in types with JSON Schemas of their payloads", async () => {
      const response = await server.request("/v1/job-types", { token: alice });
      expect(response.status).toBe(200);
      const body = ListJobTypesResponseSchema.parse(response.body);
      expect(body.message).toBe("Job types retrieved");
      expect(body.data.map((t) => [t.type, t.resultType])).toEqual([
        ["echo", "json"],
        ["sleep", "json"],
        ["markdown.render", "html"],
        ["http.request", "json"],
        ["image.thumbnail", "image"],
      ]);
      const sleep = body.data.find((t) => t.type === "sleep")!;
      expect(sleep.payloadSchema).toEqual({
        type: "object",
        properties: { ms: { type: "integer", minimum: 0, maximum: 600000 } },
        required: ["ms"],
        additionalProperties: false,
      });
      // Checks clients can make before sending are published, not only enforced by the server.
      const properties = (type: string) =>
        (
          body.data.find((t) => t.type === type)!.payloadSchema as {
            properties: Record<string, Record<string, unknown>>;
          }
        ).properties;
      expect(properties("http.request").url).toMatchObject({
        type: "string",
        format: "uri",
        pattern: "^https?:\\/\\/",
      });
      expect(properties("image.thumbnail").source).toMatchObject({
        type: "string",
        pattern: expect.stringContaining("data:image"),
      });
      expect(properties("markdown.render").markdown).toMatchObject({ type: "string", maxLength: 262144 });
      for (const t of body.data) {
        expect(t.maxAttempts).toBeGreaterThanOrEqual(1);
        expect(t.timeoutMs).toBeGreaterThan(0);
        expect(t.description.length).toBeGreaterThan(0);
      }
    });
  });

  describe("every answer", () => {
    it("carries X-Request-Id, echoing a sane one and replacing an unusable one", async () => {
      const echoed = await server.request("/v1/job-types", {
        token: alice,
        headers: { "x-request-id": "trace-123" },
      });
      expect(echoed.headers.get("x-request-id")).toBe("trace-123");
      const made = await server.request("/v1/job-types", { token: alice });
      expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const replaced = await server.request("/v1/jobs?limit=0", {
        token: alice,
        headers: { "x-request-id": "x".repeat(300) },
      });
      expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect((replaced.body as { requestId: string }).requestId).toBe(replaced.headers.get("x-request-id"));
    });

    it("answers unknown /v1 routes with a JSON 404 and never reveals X-Powered-By", async () => {
      const response = await server.request("/v1/nothing", { token: alice });
      expectError(response, 404, "NOT_FOUND");
      expect(response.headers.get("x-powered-by")).toBeNull();
      const method = await server.request("/v1/job-types", { method: "DELETE", token: alice });
      expectError(method, 404, "NOT_FOUND");
    });

    it("serves health, readiness, the OpenAPI document and its reference page without a token", async () => {
      expect((await server.request("/healthz")).body).toEqual({ success: true, status: "ok" });
      expect((await server.request("/readyz")).body).toEqual({
        success: true,
        status: "ready",
        database: provider,
      });
      const openapi = await server.request("/openapi.json");
      expect(openapi.status).toBe(200);
      const doc = openapi.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths).sort()).toEqual([
        "/v1/events",
        "/v1/job-types",
        "/v1/jobs",
        "/v1/jobs/stats",
        "/v1/jobs/{jobId}",
        "/v1/jobs/{jobId}/artifact",
        "/v1/jobs/{jobId}/cancel",
        "/v1/jobs/{jobId}/retry",
      ]);
      const docs = await server.request("/docs/");
      expect(docs.status).toBe(200);
      expect(docs.text).toContain("/docs/assets/swagger-ui-bundle.js");
      const bundle = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toMatch(/javascript/);
    });
  });
});
