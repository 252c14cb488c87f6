import { JobResponseSchema, ListJobsResponseSchema, type Job } from "@jobdeck/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

describe.each(providers)("GET /v1/jobs on %s", (provider) => {
  const suite = serveSuite(provider);

  const create = async (token: string, type: string, payload: unknown): Promise<Job> => {
    const response = await suite.server.request("/v1/jobs", postJson({ type, payload }, token));
    expect(response.status).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  };
  let bobJobs: Job[];
  beforeAll(async () => {
    bobJobs = [];
    bobJobs.push(await create(suite.bob, "echo", { i: 1 }));
    bobJobs.push(await create(suite.bob, "markdown.render", { markdown: "*x*" }));
    bobJobs.push(await create(suite.bob, "sleep", { ms: 5 }));
    bobJobs.push(await create(suite.bob, "echo", { i: 2 }));

    await suite.server.prisma.job.update({
      where: { id: bobJobs[2]!.id },
      data: { status: "failed" },
    });
  });

  const list = async (token: string, query: string) => {
    const response = await suite.server.request(`/v1/jobs?${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return ListJobsResponseSchema.parse(response.body);
  };

  it("lists only the caller's jobs, newest first, with the whole body", async () => {
    const page = await list(suite.bob, "limit=10");
    expect(page).toEqual({
      success: true,
      data: (
        await Promise.all(
          [...bobJobs]
            .reverse()
            .map(async (j) => (await suite.server.request(`/v1/jobs/${j.id}`, { token: suite.bob })).body),
        )
      ).map((b) => JobResponseSchema.parse(b).data),
      pagination: { limit: 10, nextCursor: null, hasMore: false, isPartial: false },
    });
    const carol = await list(suite.server.token("carol"), "limit=5");
    expect(carol).toEqual({
      success: true,
      data: [],
      pagination: { limit: 5, nextCursor: null, hasMore: false, isPartial: false },
    });
  });

  it("filters by type, status and resultType, each a comma-separated list", async () => {
    const ids = (page: { data: Job[] }) => page.data.map((j) => j.id).sort();
    expect(ids(await list(suite.bob, "limit=10&type=echo"))).toEqual([bobJobs[0]!.id, bobJobs[3]!.id].sort());
    expect(ids(await list(suite.bob, "limit=10&type=echo,sleep"))).toEqual(
      [bobJobs[0]!.id, bobJobs[2]!.id, bobJobs[3]!.id].sort(),
    );
    expect(ids(await list(suite.bob, "limit=10&status=failed"))).toEqual([bobJobs[2]!.id]);
    expect(ids(await list(suite.bob, "limit=10&status=pending,failed&type=sleep"))).toEqual([bobJobs[2]!.id]);
    expect(ids(await list(suite.bob, "limit=10&resultType=html"))).toEqual([bobJobs[1]!.id]);
    expect(ids(await list(suite.bob, "limit=10&type=no.such.type"))).toEqual([]);
    expect(ids(await list(suite.bob, "limit=10&resultType=nothing"))).toEqual([]);
  });

  it("filters by created range, inclusive at both ends", async () => {
    const at = (j: Job) => Date.parse(j.createdAt);
    const first = bobJobs[0]!;
    const last = bobJobs[3]!;
    const all = await list(suite.bob, `limit=10&createdFrom=${at(first)}&createdTo=${at(last)}`);
    expect(all.data).toHaveLength(4);
    const exact = await list(suite.bob, `limit=10&createdFrom=${at(last)}&createdTo=${at(last)}`);
    expect(exact.data.map((j) => j.id)).toContain(last.id);
    const none = await list(suite.bob, `limit=10&createdTo=${at(first) - 1}`);
    expect(none.data).toEqual([]);
  });

  it("sorts by every field in both orders, ties broken by id", async () => {
    for (const sortBy of ["createdAt", "updatedAt", "type", "status", "runAt", "priority"] as const) {
      for (const sortOrder of ["asc", "desc"] as const) {
        const page = await list(suite.bob, `limit=100&sortBy=${sortBy}&sortOrder=${sortOrder}`);
        const key = (j: Job) => [
          sortBy === "createdAt" || sortBy === "updatedAt" || sortBy === "runAt"
            ? Date.parse(j[sortBy]).toString().padStart(15, "0")
            : sortBy === "priority"
              ? (j.priority + 1000).toString().padStart(5, "0")
              : j[sortBy],
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

  it("filters by queue and concurrencyKey (comma lists), sorts by runAt and priority (§11)", async () => {
    const dave = suite.server.token("dave");
    const made: Job[] = [];
    const options = [
      { queue: "emails", concurrencyKey: "acme", priority: -5, delayMs: 3_600_000 },
      { queue: "emails", concurrencyKey: "globex", priority: 7 },
      { queue: "reports", concurrencyKey: "acme", priority: 7, delayMs: 60_000 },
      { priority: 0 },
    ];
    for (const [i, option] of options.entries()) {
      const response = await suite.server.request(
        "/v1/jobs",
        postJson({ type: "echo", payload: { i }, ...option }, dave),
      );
      expect(response.status, response.text).toBe(201);
      made.push(JobResponseSchema.parse(response.body).data);
    }
    const indexes = async (query: string) =>
      (await list(dave, `limit=10&${query}`)).data.map((j) => made.findIndex((m) => m.id === j.id));
    expect(await indexes("queue=emails&sortOrder=asc")).toEqual([0, 1]);
    expect(await indexes("queue=reports,default&sortOrder=asc")).toEqual([2, 3]);
    expect(await indexes("queue=nothing")).toEqual([]);
    expect(await indexes("concurrencyKey=acme&sortOrder=asc")).toEqual([0, 2]);
    expect(await indexes("concurrencyKey=acme,globex&queue=emails&sortOrder=asc")).toEqual([0, 1]);
    // runAt: now for jobs not delayed; ties on priority are broken by id.
    expect(await indexes("sortBy=runAt&sortOrder=asc")).toEqual([1, 3, 2, 0]);
    expect(await indexes("sortBy=priority")).toEqual([2, 1, 3, 0]);
    const first = await list(dave, "limit=2&sortBy=priority&sortOrder=asc&queue=emails,reports");
    expect(first.data.map((j) => made.findIndex((m) => m.id === j.id))).toEqual([0, 1]);
    const next = await list(
      dave,
      `limit=2&sortBy=priority&sortOrder=asc&queue=reports,emails&cursor=${first.pagination.nextCursor}`,
    );
    expect(next.data.map((j) => made.findIndex((m) => m.id === j.id))).toEqual([2]);
    // The cursor is bound to the queue and key filters too.
    for (const query of [
      "queue=emails",
      "queue=emails,reports&concurrencyKey=acme",
      "queue=emails,reports&waitReason=scheduled",
    ]) {
      expectError(
        await suite.server.request(
          `/v1/jobs?limit=2&sortBy=priority&sortOrder=asc&${query}&cursor=${first.pagination.nextCursor}`,
          {
            token: dave,
          },
        ),
        400,
        "INVALID_CURSOR",
      );
    }
  });

  it("filters by scheduleId and batchId (comma lists), in the list, its cursor and the stats (§12)", async () => {
    const erin = suite.server.token("erin");
    const made: Job[] = [];
    for (let i = 0; i < 5; i++) made.push(await create(erin, "echo", { i }));
    const origins = [
      { scheduleId: "s-1", batchId: null },
      { scheduleId: "s-1", batchId: null },
      { scheduleId: "s-2", batchId: null },
      { scheduleId: null, batchId: "b-1" },
      { scheduleId: null, batchId: null },
    ];
    for (const [i, data] of origins.entries())
      await suite.server.prisma.job.update({ where: { id: made[i]!.id }, data });
    const indexes = async (query: string) =>
      (await list(erin, `limit=10&sortOrder=asc&${query}`)).data.map((j) =>
        made.findIndex((m) => m.id === j.id),
      );
    expect(await indexes("scheduleId=s-1")).toEqual([0, 1]);
    expect(await indexes("scheduleId=s-2, s-1")).toEqual([0, 1, 2]);
    expect(await indexes("batchId=b-1")).toEqual([3]);
    expect(await indexes("scheduleId=s-1&batchId=b-1")).toEqual([]);
    expect(await indexes("scheduleId=nothing")).toEqual([]);
    const shown = await list(erin, "limit=10&scheduleId=s-2");
    expect(shown.data[0]).toMatchObject({ scheduleId: "s-2", batchId: null });
    // Paging inside a filter; the cursor is bound to it.
    const first = await list(erin, "limit=1&sortOrder=asc&scheduleId=s-1");
    const next = await list(
      erin,
      `limit=1&sortOrder=asc&scheduleId=s-1&cursor=${first.pagination.nextCursor}`,
    );
    expect([...first.data, ...next.data].map((j) => j.id)).toEqual([made[0]!.id, made[1]!.id]);
    expectError(
      await suite.server.request(
        `/v1/jobs?limit=1&sortOrder=asc&scheduleId=s-2&cursor=${first.pagination.nextCursor}`,
        { token: erin },
      ),
      400,
      "INVALID_CURSOR",
    );
    const stats = await suite.server.request("/v1/jobs/stats?scheduleId=s-1,s-2", { token: erin });
    expect(stats.status, stats.text).toBe(200);
    expect(stats.body).toMatchObject({ data: { total: 3, byStatus: { pending: 3 } } });
    expectError(
      await suite.server.request("/v1/jobs?limit=1&batchId=a,", { token: erin }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("walks pages with nextCursor, limits may differ page to page", async () => {
    const first = await list(suite.bob, "limit=1&sortBy=type&sortOrder=asc");
    expect(first.pagination).toMatchObject({ limit: 1, hasMore: true });
    const second = await list(
      suite.bob,
      `limit=2&sortBy=type&sortOrder=asc&cursor=${first.pagination.nextCursor}`,
    );
    expect(second.pagination).toMatchObject({ limit: 2, hasMore: true });
    const third = await list(
      suite.bob,
      `limit=5&sortBy=type&sortOrder=asc&cursor=${second.pagination.nextCursor}`,
    );
    expect(third.pagination).toEqual({ limit: 5, nextCursor: null, hasMore: false, isPartial: false });
    const seen = [...first.data, ...second.data, ...third.data].map((j) => j.id);
    expect(new Set(seen).size).toBe(4);
    expect(seen.sort()).toEqual(bobJobs.map((j) => j.id).sort());
  });

  it("accepts a cursor when list filters are given in another order", async () => {
    const first = await list(suite.bob, "limit=1&type=echo,sleep");
    const next = await list(suite.bob, `limit=5&type=sleep,echo,echo&cursor=${first.pagination.nextCursor}`);
    expect(next.data).toHaveLength(2);
  });

  it("refuses altered, foreign and mismatched cursors with INVALID_CURSOR", async () => {
    const first = await list(suite.bob, "limit=1&status=pending");
    const cursor = first.pagination.nextCursor!;
    const bytes = Buffer.from(cursor, "base64url");
    const flipped = Buffer.from(bytes);
    flipped[2] = flipped[2]! ^ 1;
    const lastFlipped = Buffer.from(bytes);
    lastFlipped[lastFlipped.length - 1] = lastFlipped[lastFlipped.length - 1]! ^ 0x80;
    const cases: [string, string][] = [
      [suite.bob, `limit=1&status=pending&cursor=${flipped.toString("base64url")}`],
      [suite.bob, `limit=1&status=pending&cursor=${lastFlipped.toString("base64url")}`],
      [suite.bob, `limit=1&status=pending&cursor=${cursor}AA`],
      [suite.bob, `limit=1&status=pending&cursor=${cursor.slice(0, -2)}`],
      [suite.alice, `limit=1&status=pending&cursor=${cursor}`],
      [suite.bob, `limit=1&status=failed&cursor=${cursor}`],
      [suite.bob, `limit=1&cursor=${cursor}`],
      [suite.bob, `limit=1&status=pending&sortBy=type&cursor=${cursor}`],
      [suite.bob, `limit=1&status=pending&sortOrder=asc&cursor=${cursor}`],
      [suite.bob, `limit=1&status=pending&createdFrom=0&cursor=${cursor}`],
      [suite.bob, `limit=1&status=pending&cursor=not*base64`],
      [suite.bob, `limit=1&status=pending&cursor=${Buffer.from('[1,"x"]').toString("base64url")}`],
      [suite.bob, `limit=1&status=pending&cursor=AAAA`],
    ];
    for (const [token, query] of cases) {
      const response = await suite.server.request(`/v1/jobs?${query}`, { token });
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
        [{ path: "sortBy", message: "must be one of createdAt, updatedAt, type, status, runAt, priority" }],
      ],
      ["limit=1&sortOrder=up", [{ path: "sortOrder", message: "must be one of desc, asc" }]],
      ["limit=1&createdFrom=yesterday", [{ path: "createdFrom", message: /must be an integer/ }]],
      [
        "limit=1&createdFrom=10&createdTo=9",
        [{ path: "createdFrom", message: "must not be after createdTo" }],
      ],
      ["limit=1&type=", [{ path: "type", message: /must be job type names/ }]],
      ["limit=1&type[a]=b", [{ path: "type[a]", message: "is not an accepted field" }]],
      ["limit=1&queue=a,,b", [{ path: "queue", message: /must be queue names/ }]],
      ["limit=1&concurrencyKey=a b", [{ path: "concurrencyKey", message: /must be concurrency keys/ }]],
      ["limit=1&waitReason=busy", [{ path: "waitReason", message: /must be one of backoff, scheduled/ }]],
    ];
    for (const [query, details] of cases) {
      const response = await suite.server.request(`/v1/jobs?${query}`, { token: suite.bob });
      expectError(response, 400, "VALIDATION_FAILED", { details });
    }
  });
});
