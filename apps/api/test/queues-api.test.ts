import {
  JobResponseSchema,
  ListQueuesResponseSchema,
  QueueResponseSchema,
  type Queue,
  type QueueSettings,
} from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, type TestResponse } from "./support/server.js";
import { serveSuite, type Suite } from "./support/suite.js";

const providers = await testProviders();

const NO_LIMITS: QueueSettings = {
  concurrency: null,
  perKeyConcurrency: null,
  rateLimit: null,
  perKeyRateLimit: null,
};
const LIMITS: QueueSettings = {
  concurrency: 10,
  perKeyConcurrency: 1,
  rateLimit: { limit: 100, periodMs: 60_000 },
  perKeyRateLimit: null,
};
const NAME_ERROR = { path: "name", message: "must match ^[a-z0-9][a-z0-9._-]{0,63}$" };

/** A queue answer: 200, the whole body parsed with the contract, and its ETag. */
function expectQueue(response: TestResponse, message: string): { queue: Queue; etag: string } {
  expect(response.status, response.text).toBe(200);
  const body = QueueResponseSchema.parse(response.body);
  expect(body.message).toBe(message);
  const etag = response.headers.get("etag");
  expect(etag).toMatch(/^"[1-9][0-9]*"$/);
  return { queue: body.data, etag: etag! };
}

/** §11's Queue with these settings, no jobs, not paused. */
const queueOf = (name: string, settings: QueueSettings, fields: Partial<Queue> = {}): Queue => ({
  name,
  isPaused: false,
  ...settings,
  counts: { pending: 0, running: 0 },
  oldestPendingAt: null,
  updatedAt: expect.stringMatching(/Z$/),
  ...fields,
});

describe.each(providers)("the queues API on %s", (provider) => {
  const suite: Suite = serveSuite(provider);
  const request = (path: string, init: RequestInit & { token?: string } = {}) =>
    suite.server.request(path, init);
  const put = (name: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`/v1/queues/${name}`, {
      method: "PUT",
      token,
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  /** Nothing written, queues included (the shared fingerprint covers jobs, events and settings). */
  const noWrites = async <T>(fn: () => Promise<T>): Promise<T> => {
    const queues = () =>
      suite.server.prisma.queue.findMany({ orderBy: [{ userId: "asc" }, { name: "asc" }] });
    const before = await queues();
    const result = await suite.noWrites(fn);
    expect(await queues()).toEqual(before);
    return result;
  };

  it('PUT creates a queue (ETag "1"), GET shows it with the same ETag, another PUT changes it', async () => {
    const created = expectQueue(await put("emails", suite.alice, LIMITS), "Queue settings saved");
    expect(created).toEqual({ queue: queueOf("emails", LIMITS), etag: '"1"' });
    const read = expectQueue(await request("/v1/queues/emails", { token: suite.alice }), "Queue retrieved");
    expect(read).toEqual(created);
    const changed = expectQueue(await put("emails", suite.alice, NO_LIMITS), "Queue settings saved");
    expect(changed).toEqual({ queue: queueOf("emails", NO_LIMITS), etag: '"2"' });
  });

  it("GET always answers 200 with the body, whatever If-None-Match says (the ETag does not cover counts)", async () => {
    const { etag } = expectQueue(await put("fresh", suite.alice, NO_LIMITS), "Queue settings saved");
    for (const ifNoneMatch of [etag, "*", `W/${etag}`]) {
      const response = await request("/v1/queues/fresh", {
        token: suite.alice,
        headers: { "if-none-match": ifNoneMatch },
      });
      expect(expectQueue(response, "Queue retrieved")).toEqual({ queue: queueOf("fresh", NO_LIMITS), etag });
    }
  });

  it("PUT with If-Match changes the queue only at that ETag; a stale, weak or foreign one is a 412 and writes nothing", async () => {
    const { etag } = expectQueue(await put("matched", suite.alice, NO_LIMITS), "Queue settings saved");
    const changed = expectQueue(
      await put("matched", suite.alice, LIMITS, { "if-match": etag }),
      "Queue settings saved",
    );
    expect(changed).toEqual({ queue: queueOf("matched", LIMITS), etag: '"2"' });
    for (const stale of [etag, `W/"2"`, '"2", "3"', "2", "nonsense"]) {
      const response = await noWrites(() => put("matched", suite.alice, NO_LIMITS, { "if-match": stale }));
      expectError(response, 412, "PRECONDITION_FAILED", {
        message: "The queue has changed since this ETag, or does not exist",
        details: [{ path: "if-match", message: "does not match the queue's current ETag" }],
      });
    }
    // A pause changes the ETag too: the PUT that read before it is refused.
    expectQueue(await suite.post("/v1/queues/matched/pause", suite.alice), "Queue paused");
    expectError(
      await put("matched", suite.alice, NO_LIMITS, { "if-match": '"2"' }),
      412,
      "PRECONDITION_FAILED",
    );
    expect(
      expectQueue(
        await put("matched", suite.alice, NO_LIMITS, { "if-match": '"3"' }),
        "Queue settings saved",
      ),
    ).toEqual({ queue: queueOf("matched", NO_LIMITS, { isPaused: true }), etag: '"4"' });
  });

  it("If-Match on a queue that does not exist is a 412 and creates nothing; * requires it to exist", async () => {
    for (const ifMatch of ['"1"', "*"]) {
      const response = await noWrites(() => put("missing", suite.alice, LIMITS, { "if-match": ifMatch }));
      expectError(response, 412, "PRECONDITION_FAILED");
    }
    expectError(await request("/v1/queues/missing", { token: suite.alice }), 404, "NOT_FOUND", {
      message: "Queue not found",
    });
    expectQueue(await put("missing", suite.alice, NO_LIMITS), "Queue settings saved");
    expect(
      expectQueue(await put("missing", suite.alice, LIMITS, { "if-match": "*" }), "Queue settings saved"),
    ).toEqual({
      queue: queueOf("missing", LIMITS),
      etag: '"2"',
    });
  });

  it("PUT refuses a bad name or body with a 400 and writes nothing", async () => {
    const cases: [string, unknown, { path: string; message: string | RegExp }][] = [
      ["Emails", NO_LIMITS, NAME_ERROR],
      ["-dash-first", NO_LIMITS, NAME_ERROR],
      ["x".repeat(65), NO_LIMITS, NAME_ERROR],
      ["ok", { ...NO_LIMITS, concurrency: 0 }, { path: "concurrency", message: "must be at least 1" }],
      ["ok", { ...NO_LIMITS, concurrency: 1.5 }, { path: "concurrency", message: "must be an integer" }],
      [
        "ok",
        { ...NO_LIMITS, rateLimit: { limit: 1, periodMs: 999 } },
        { path: "rateLimit.periodMs", message: "must be between 1000 and 86400000" },
      ],
      [
        "ok",
        { concurrency: null, perKeyConcurrency: null, rateLimit: null },
        { path: "perKeyRateLimit", message: /Required|required/ },
      ],
      ["ok", { ...NO_LIMITS, isPaused: true }, { path: "isPaused", message: "is not an accepted field" }],
    ];
    for (const [name, body, detail] of cases) {
      const response = await noWrites(() => put(name, suite.alice, body));
      const error = expectError(response, 400, "VALIDATION_FAILED");
      expect(error.error.details?.[0]).toEqual({
        path: detail.path,
        message: detail.message instanceof RegExp ? expect.stringMatching(detail.message) : detail.message,
      });
    }
  });

  it("pause and resume create the queue when missing, flip isPaused and bump the ETag; a bad name is a 400", async () => {
    const paused = expectQueue(await suite.post("/v1/queues/switch/pause", suite.alice), "Queue paused");
    expect(paused).toEqual({ queue: queueOf("switch", NO_LIMITS, { isPaused: true }), etag: '"1"' });
    const again = expectQueue(await suite.post("/v1/queues/switch/pause", suite.alice), "Queue paused");
    expect(again).toEqual({ queue: queueOf("switch", NO_LIMITS, { isPaused: true }), etag: '"2"' });
    const resumed = expectQueue(await suite.post("/v1/queues/switch/resume", suite.alice), "Queue resumed");
    expect(resumed).toEqual({ queue: queueOf("switch", NO_LIMITS), etag: '"3"' });
    const created = expectQueue(
      await suite.post("/v1/queues/never-paused/resume", suite.alice),
      "Queue resumed",
    );
    expect(created).toEqual({ queue: queueOf("never-paused", NO_LIMITS), etag: '"1"' });
    for (const action of ["pause", "resume"]) {
      const response = await noWrites(() => suite.post(`/v1/queues/Not_Valid/${action}`, suite.alice));
      expectError(response, 400, "VALIDATION_FAILED", { details: [NAME_ERROR] });
    }
  });

  it("GET: a name off the pattern, a missing queue and another user's queue are the same 404", async () => {
    expectQueue(await put("private", suite.alice, LIMITS), "Queue settings saved");
    for (const [path, token] of [
      ["/v1/queues/private", suite.bob],
      ["/v1/queues/nothing-here", suite.alice],
      ["/v1/queues/UPPER", suite.alice],
      [`/v1/queues/${"a".repeat(65)}`, suite.alice],
    ] as const) {
      expectError(await request(path, { token }), 404, "NOT_FOUND", { message: "Queue not found" });
    }
    // Bob's queue of the same name is his own, with his own settings.
    expectQueue(await put("private", suite.bob, NO_LIMITS), "Queue settings saved");
    expect(
      expectQueue(await request("/v1/queues/private", { token: suite.alice }), "Queue retrieved").queue,
    ).toEqual(queueOf("private", LIMITS));
  });

  it("counts a queue's pending and running jobs, and the earliest createdAt among its pending ones", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await request(
        "/v1/jobs",
        postJson({ type: "echo", payload: { i }, queue: "counted" }, suite.alice),
      );
      expect(response.status, response.text).toBe(201);
      ids.push(JobResponseSchema.parse(response.body).data.id);
    }
    // Bob's jobs in his own queue of that name do not count.
    expect(
      (await request("/v1/jobs", postJson({ type: "echo", payload: {}, queue: "counted" }, suite.bob)))
        .status,
    ).toBe(201);
    await suite.setStatus(ids[0]!, "running");
    await suite.setStatus(ids[1]!, "completed");
    const third = await suite.server.prisma.job.findUniqueOrThrow({ where: { id: ids[2]! } });
    const { queue } = expectQueue(
      await request("/v1/queues/counted", { token: suite.alice }),
      "Queue retrieved",
    );
    expect(queue).toEqual(
      queueOf("counted", NO_LIMITS, {
        counts: { pending: 1, running: 1 },
        oldestPendingAt: third.createdAt.toISOString(),
      }),
    );
  });

  it("lists the caller's queues by name, keyset-paged, with a cursor bound to the user", async () => {
    const token = suite.server.token("carol");
    const names = ["b", "a.1", "a", "a-1", "c_2", "0"];
    for (const name of names) expectQueue(await put(name, token, NO_LIMITS), "Queue settings saved");
    const seen: string[] = [];
    let cursor: string | null = null;
    let firstCursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = `/v1/queues?limit=4${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await request(query, { token });
      expect(response.status, response.text).toBe(200);
      const body = ListQueuesResponseSchema.parse(response.body);
      seen.push(...body.data.map((queue) => queue.name));
      expect(body.pagination).toEqual({
        limit: 4,
        nextCursor: body.pagination.hasMore ? expect.any(String) : null,
        hasMore: seen.length < names.length,
        isPartial: false,
      });
      firstCursor ??= body.pagination.nextCursor;
      cursor = body.pagination.nextCursor;
      if (!cursor) break;
    }
    // Code point order: "-" < "." < "0" < "_" < "a".
    expect(seen).toEqual(["0", "a", "a-1", "a.1", "b", "c_2"]);
    expectError(
      await request(`/v1/queues?limit=4&cursor=${firstCursor}`, { token: suite.bob }),
      400,
      "INVALID_CURSOR",
    );
    expectError(await request(`/v1/queues?limit=4&cursor=${firstCursor}x`, { token }), 400, "INVALID_CURSOR");
    expectError(await request("/v1/queues", { token }), 400, "VALIDATION_FAILED", {
      details: [{ path: "limit", message: /Required|required/ }],
    });
    expectError(await request("/v1/queues?limit=101", { token }), 400, "VALIDATION_FAILED", {
      details: [{ path: "limit", message: "must be an integer between 1 and 100" }],
    });
    expectError(await request("/v1/queues?limit=2&sortBy=name", { token }), 400, "VALIDATION_FAILED");
    // Each user sees only their own.
    const bobs = ListQueuesResponseSchema.parse(
      (await request("/v1/queues?limit=100", { token: suite.bob })).body,
    );
    expect(bobs.data.map((queue) => queue.name)).not.toContain("c_2");
  });

  it("needs a token, and a wrong method on a queue path is a 405 with Allow", async () => {
    expectError(await request("/v1/queues?limit=1"), 401, "UNAUTHORIZED");
    const response = await request("/v1/queues/emails", { method: "DELETE", token: suite.alice });
    expectError(response, 405, "METHOD_NOT_ALLOWED");
    expect(response.headers.get("allow")).toBe("GET, HEAD, PUT");
  });
});
