import { JobResponseSchema, type Job } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

describe.each(providers)("POST /v1/jobs on %s", (provider) => {
  const suite = serveSuite(provider);

  const create = async (token: string, type: string, payload: unknown): Promise<Job> => {
    const response = await suite.server.request("/v1/jobs", postJson({ type, payload }, token));
    expect(response.status).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  };

  it("creates a pending job owned by the caller and answers 201 with the whole job", async () => {
    const before = Date.now();
    const response = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: { hello: "world" } }, suite.alice),
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
        queue: "default",
        priority: 0,
        runAt: body.data.createdAt,
        concurrencyKey: null,
        dedupeKey: null,
        waitReason: body.data.waitReason,
        scheduleId: null,
        batchId: null,
        retryOf: null,
        progress: null,
        tags: [],
        metadata: {},
      },
    });
    expect(["queued", "no_worker"]).toContain(body.data.waitReason);
    expect(Date.parse(body.data.createdAt)).toBeGreaterThanOrEqual(before - 1);
    const row = await suite.server.prisma.job.findUniqueOrThrow({ where: { id: body.data.id } });
    expect(row.userId).toBe("alice");
  });

  it("stores the payload exactly as submitted, including unicode and nesting", async () => {
    const payload = {
      text: 'héllo 👋 \u2028 "q" end',
      list: [1, 2.5, null, true, { deep: ["x"] }],
      empty: {},
    };
    const job = await create(suite.alice, "echo", payload);
    expect(job.payload).toEqual(payload);
  });

  it("refuses U+0000 and lone surrogates anywhere in the body (PostgreSQL cannot store them) on every database", async () => {
    const inValue = await suite.noWrites(() =>
      suite.server.request(
        "/v1/jobs",
        postJson({ type: "echo", payload: { list: ["ok", "bad\u0000"] } }, suite.alice),
      ),
    );
    expectError(inValue, 400, "VALIDATION_FAILED", {
      details: [{ path: "payload.list.1", message: "must be valid Unicode text without U+0000" }],
    });
    const inKey = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", postJson({ type: "echo", payload: { "a\u0000": 1 } }, suite.alice)),
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
      const lone = await suite.noWrites(() =>
        suite.server.request("/v1/jobs", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: raw,
          token: suite.alice,
        }),
      );
      expectError(lone, 400, "VALIDATION_FAILED", {
        message: /must be valid Unicode text without U\+0000$/,
      });
    }
    const pair = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: { emoji: "\ud83d\ude00" } }, suite.alice),
    );
    expect(pair.status).toBe(201);
  });

  it("keeps tags in the order sent and metadata as given (§15)", async () => {
    const response = await suite.server.request(
      "/v1/jobs",
      postJson(
        {
          type: "echo",
          payload: {},
          tags: ["z:1", "a/b", "A"],
          metadata: { "team.name": "x", n: 1.5, ok: false },
        },
        suite.alice,
      ),
    );
    expect(response.status).toBe(201);
    const job = JobResponseSchema.parse(response.body).data;
    expect(job).toMatchObject({
      tags: ["z:1", "a/b", "A"],
      metadata: { "team.name": "x", n: 1.5, ok: false },
    });
    expect(
      await suite.server.request(`/v1/jobs/${job.id}`, { token: suite.alice }).then((r) => r.body),
    ).toMatchObject({ data: { tags: job.tags, metadata: job.metadata } });
  });

  it("refuses bad tags and metadata with the field named, writing nothing (§15)", async () => {
    const cases: [unknown, string, string | RegExp][] = [
      [{ tags: ["a", "a"] }, "tags.1", "duplicate tag a"],
      [{ tags: ["has space"] }, "tags.0", /^must be 1–64 characters/],
      [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, "tags", "at most 10 tags"],
      [{ tags: "a" }, "tags", "must be an array of strings"],
      [{ metadata: { a: null } }, "metadata.a", /^must be a string of at most 256/],
      [{ metadata: { a: { b: 1 } } }, "metadata.a", /^must be a string of at most 256/],
      [{ metadata: { a: [1] } }, "metadata.a", /^must be a string of at most 256/],
      [{ metadata: { a: "x".repeat(257) } }, "metadata.a", /^must be a string of at most 256/],
      [{ metadata: { "a b": 1 } }, "metadata.a b", /^keys must be 1–64 characters/],
      [
        { metadata: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 1])) },
        "metadata",
        "at most 32 keys",
      ],
      [
        { metadata: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "é".repeat(110)])) },
        "metadata",
        "must be at most 4096 bytes as JSON",
      ],
      [{ metadata: [] }, "metadata", "must be an object"],
    ];
    for (const [fields, path, message] of cases) {
      const response = await suite.noWrites(() =>
        suite.server.request(
          "/v1/jobs",
          postJson({ type: "echo", payload: {}, ...(fields as object) }, suite.alice),
        ),
      );
      expectError(response, 400, "VALIDATION_FAILED");
      const details = (response.body as { error: { details: { path: string; message: string }[] } }).error
        .details;
      expect(details, JSON.stringify(fields).slice(0, 80)).toContainEqual({
        path,
        message: typeof message === "string" ? message : expect.stringMatching(message),
      });
    }
  });

  it("takes the type's maxAttempts and resultType", async () => {
    const job = await create(suite.alice, "markdown.render", { markdown: "# hi" });
    expect(job).toMatchObject({ resultType: "html", maxAttempts: 3, status: "pending" });
    const thumb = await create(suite.alice, "image.thumbnail", {
      source: "data:image/png;base64,iVBORw0KGgo=",
      width: 10,
      format: "png",
    });
    expect(thumb.resultType).toBe("image");
  });

  it("refuses an unknown type with the known ones in details, writing nothing", async () => {
    const response = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", postJson({ type: "nope", payload: {} }, suite.alice)),
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
    const response = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", postJson({ type: "sleep", payload: { ms: -1 } }, suite.alice)),
    );
    expectError(response, 400, "VALIDATION_FAILED", {
      details: [{ path: "payload.ms", message: "must be at least 0" }],
    });
    const tooLong = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", postJson({ type: "sleep", payload: { ms: 600_001 } }, suite.alice)),
    );
    expectError(tooLong, 400, "VALIDATION_FAILED", {
      details: [{ path: "payload.ms", message: "must be at most 600000" }],
    });
    const extra = await suite.noWrites(() =>
      suite.server.request(
        "/v1/jobs",
        postJson({ type: "sleep", payload: { ms: 1, other: true } }, suite.alice),
      ),
    );
    expectError(extra, 400, "VALIDATION_FAILED", {
      details: [{ path: "payload.other", message: "is not an accepted field" }],
    });
    for (const payload of [[1, 2], null, "text", 5]) {
      const notObject = await suite.noWrites(() =>
        suite.server.request("/v1/jobs", postJson({ type: "echo", payload }, suite.alice)),
      );
      expectError(notObject, 400, "VALIDATION_FAILED", {
        details: [{ path: "payload", message: /^must be an object, not (an array|null|a string|a number)$/ }],
      });
    }
    const badUrl = await suite.noWrites(() =>
      suite.server.request(
        "/v1/jobs",
        postJson({ type: "http.request", payload: { url: "ftp://x" } }, suite.alice),
      ),
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
      const response = await suite.noWrites(() =>
        suite.server.request("/v1/jobs", postJson(body, suite.alice)),
      );
      expectError(response, 400, "VALIDATION_FAILED", { details });
    }
  });

  it("answers 400 for malformed JSON, 413 above 1 MiB and 415 for other media types", async () => {
    const malformed = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"type":',
        token: suite.alice,
      }),
    );
    expectError(malformed, 400, "VALIDATION_FAILED", {
      details: [{ path: "body", message: "is not valid JSON" }],
    });

    const big = JSON.stringify({ type: "echo", payload: { blob: "x".repeat(1024 * 1024) } });
    const tooLarge = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: big,
        token: suite.alice,
      }),
    );
    expectError(tooLarge, 413, "PAYLOAD_TOO_LARGE");

    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const unsupported = await suite.noWrites(() =>
        suite.server.request("/v1/jobs", {
          method: "POST",
          headers: { "content-type": type },
          body: '{"type":"echo","payload":{}}',
          token: suite.alice,
        }),
      );
      expectError(unsupported, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    const noType = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", {
        method: "POST",
        body: new Blob(['{"type":"echo","payload":{}}']),
        token: suite.alice,
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
    const ok = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload: nest(63) }, suite.alice),
    );
    expect(ok.status).toBe(201);
    const deep = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", postJson({ type: "echo", payload: nest(64) }, suite.alice)),
    );
    expectError(deep, 400, "VALIDATION_FAILED", {
      details: [{ path: "body", message: "must not nest deeper than 64 levels" }],
    });
    const hostile = "[".repeat(200_000) + "]".repeat(200_000);
    const veryDeep = await suite.noWrites(() =>
      suite.server.request("/v1/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: hostile,
        token: suite.alice,
      }),
    );
    expect(veryDeep.status).toBe(400);
  });
});
