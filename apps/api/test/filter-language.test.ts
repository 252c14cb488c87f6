import {
  JobResponseSchema,
  JobStatsResponseSchema,
  ListJobsResponseSchema,
  type Job,
} from "@jobdeck/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";

const providers = await testProviders();

/**
 * §15's filter language over HTTP: each filter against jobs made to tell it apart, the same filters
 * in the stats, and every refusal. The property test (filter-language.property.test.ts) compares
 * combinations of them with an in-memory filter.
 */
describe.each(providers)("the filter language on %s", (provider) => {
  const suite = serveSuite(provider);
  const jobs: Record<string, Job> = {};

  const create = async (name: string, body: Record<string, unknown>) => {
    const response = await suite.server.request("/v1/jobs", postJson(body, suite.bob));
    expect(response.status, response.text).toBe(201);
    jobs[name] = JobResponseSchema.parse(response.body).data;
  };

  beforeAll(async () => {
    await create("a", {
      type: "echo",
      payload: { n: 3, s: "3", user: { id: "u1", vip: true }, nothing: null },
      tags: ["red", "big"],
      metadata: { team: "billing", "build.id": 42, isUrgent: true },
    });
    await create("b", {
      type: "echo",
      payload: { n: "3", user: { id: "u2", vip: false } },
      tags: ["red"],
      metadata: { team: "search", "build.id": "42" },
    });
    await create("c", { type: "echo", payload: { n: 3.0, list: [1, 2] }, tags: ["big"] });
    await create("d", { type: "sleep", payload: { ms: 1 } });
    const { prisma } = suite.server;
    await prisma.job.update({
      where: { id: jobs.c!.id },
      data: { status: "completed", result: { ok: true, count: 7, word: "done,ok" } },
    });
    await prisma.job.update({
      where: { id: jobs.d!.id },
      data: { status: "failed", error: { code: "TIMEOUT", message: "too slow" } },
    });
    // Another user's job that matches everything: never seen.
    const other = await suite.server.request(
      "/v1/jobs",
      postJson(
        { type: "echo", payload: { n: 3 }, tags: ["red", "big"], metadata: { team: "billing" } },
        suite.alice,
      ),
    );
    expect(other.status).toBe(201);
  });

  const names = async (query: string) => {
    const response = await suite.server.request(`/v1/jobs?limit=100&${query}`, { token: suite.bob });
    expect(response.status, response.text).toBe(200);
    const page = ListJobsResponseSchema.parse(response.body);
    const byId = new Map(Object.entries(jobs).map(([name, job]) => [job.id, name]));
    return page.data.map((job) => byId.get(job.id) ?? job.id).sort();
  };

  it("tag is any of, tagsAll all of", async () => {
    expect(await names("tag=red")).toEqual(["a", "b"]);
    expect(await names("tag=red,big")).toEqual(["a", "b", "c"]);
    expect(await names("tagsAll=red,big")).toEqual(["a"]);
    expect(await names("tagsAll=big")).toEqual(["a", "c"]);
    expect(await names("tag=nobody")).toEqual([]);
    expect(await names("tag=red&tagsAll=big")).toEqual(["a"]);
  });

  it("metadata.<key> takes the whole rest of the name as the key and compares as JSON", async () => {
    expect(await names("metadata.team=billing")).toEqual(["a"]);
    expect(await names("metadata.build.id=42")).toEqual(["a"]);
    expect(await names(`metadata.build.id=${encodeURIComponent('"42"')}`)).toEqual(["b"]);
    expect(await names("metadata.isUrgent=true")).toEqual(["a"]);
    expect(await names(`metadata.isUrgent=${encodeURIComponent('"true"')}`)).toEqual([]);
    expect(await names("metadata.team=billing&metadata.build.id=42")).toEqual(["a"]);
    expect(await names("metadata.missing=1")).toEqual([]);
  });

  it("payload.<path> and result.<path> match one JSON value exactly; a missing path matches nothing", async () => {
    expect(await names("payload.n=3")).toEqual(["a", "c"]);
    expect(await names(`payload.n=${encodeURIComponent('"3"')}`)).toEqual(["b"]);
    expect(await names("payload.s=3")).toEqual([]);
    expect(await names("payload.user.id=u2")).toEqual(["b"]);
    expect(await names("payload.user.vip=false")).toEqual(["b"]);
    expect(await names("payload.nothing=null")).toEqual(["a"]);
    expect(await names("payload.absent=null")).toEqual([]);
    expect(await names(`payload.list=${encodeURIComponent("[1,2]")}`)).toEqual(["c"]);
    expect(await names("result.ok=true")).toEqual(["c"]);
    expect(await names("result.word=done,ok")).toEqual(["c"]);
    expect(await names("result.count=7&payload.n=3")).toEqual(["c"]);
  });

  it("errorCode and idPrefix", async () => {
    expect(await names("errorCode=TIMEOUT")).toEqual(["d"]);
    expect(await names("errorCode=OTHER,TIMEOUT")).toEqual(["d"]);
    expect(await names(`idPrefix=${jobs.b!.id.slice(0, 36).toUpperCase()}`)).toEqual(["b"]);
    expect(await names(`idPrefix=${jobs.b!.id.slice(0, 8)}`)).toContain("b");
  });

  it("the stats take the same filters", async () => {
    const response = await suite.server.request("/v1/jobs/stats?tag=red,big&payload.n=3", {
      token: suite.bob,
    });
    expect(response.status, response.text).toBe(200);
    expect(JobStatsResponseSchema.parse(response.body).data).toEqual({
      total: 2,
      byStatus: { pending: 1, running: 0, completed: 1, failed: 0, cancelled: 0 },
    });
  });

  it("refuses bad filters with a 400 that names them, on the list and the stats", async () => {
    for (const path of ["/v1/jobs?limit=5&", "/v1/jobs/stats?"]) {
      const cases: [string, string, string | RegExp][] = [
        ["payload.a.b.c.d.e.f.g.h.i=1", "payload.a.b.c.d.e.f.g.h.i", /at most 8/],
        ["payload.a..b=1", "payload.a..b", /dot-separated names/],
        ["result.=1", "result.", /dot-separated names/],
        ["idPrefix=abc", "idPrefix", /4–36 hex digits/],
        ["idPrefix=xyz1", "idPrefix", /4–36 hex digits/],
        ["metadata.=x", "metadata.", /key/],
        ["payloads.a=1", "payloads.a", "is not an accepted field"],
        ["bogus=1", "bogus", "is not an accepted field"],
        ["tag=a%20b", "tag", /tags/],
        ["metadata.team=a&metadata.team=b", "metadata.team", "must be given once"],
      ];
      for (const [query, at, message] of cases) {
        const response = await suite.noWrites(() =>
          suite.server.request(`${path}${query}`, { token: suite.bob }),
        );
        expectError(response, 400, "VALIDATION_FAILED", { details: [{ path: at, message }] });
      }
    }
  });

  it("a cursor is bound to the §15 filters too", async () => {
    const first = await suite.server.request("/v1/jobs?limit=1&tag=red", { token: suite.bob });
    const cursor = ListJobsResponseSchema.parse(first.body).pagination.nextCursor!;
    expect(cursor).not.toBeNull();
    const same = await suite.server.request(`/v1/jobs?limit=1&tag=red&cursor=${cursor}`, {
      token: suite.bob,
    });
    expect(same.status).toBe(200);
    for (const other of [
      "tag=red,big",
      "tag=red&payload.n=3",
      "tag=red&metadata.team=billing",
      "tag=red&idPrefix=0000",
    ]) {
      const response = await suite.server.request(`/v1/jobs?limit=1&${other}&cursor=${cursor}`, {
        token: suite.bob,
      });
      expectError(response, 400, "INVALID_CURSOR");
    }
    // A cursor made without §15's filters still works, as before them.
    const plain = await suite.server.request("/v1/jobs?limit=1", { token: suite.bob });
    const plainCursor = ListJobsResponseSchema.parse(plain.body).pagination.nextCursor!;
    const next = await suite.server.request(`/v1/jobs?limit=1&cursor=${plainCursor}`, { token: suite.bob });
    expect(next.status).toBe(200);
  });
});

describe.each(providers)("a filter the indexes cannot narrow on %s", (provider) => {
  const suite = serveSuite(provider, { FILTER_SCAN_LIMIT: "3" });

  it("reads at most FILTER_SCAN_LIMIT rows per request, says isPartial, and goes on with the cursor", async () => {
    const made: Job[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await suite.server.request(
        "/v1/jobs",
        postJson({ type: "echo", payload: { hit: i === 1 || i === 8 } }, suite.bob),
      );
      made.push(JobResponseSchema.parse(response.body).data);
    }
    const pages: { ids: string[]; isPartial: boolean; hasMore: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const response = await suite.server.request(
        `/v1/jobs?limit=5&payload.hit=true&sortOrder=asc${cursor ? `&cursor=${cursor}` : ""}`,
        { token: suite.bob },
      );
      expect(response.status, response.text).toBe(200);
      const page = ListJobsResponseSchema.parse(response.body);
      pages.push({
        ids: page.data.map((job) => job.id),
        isPartial: page.pagination.isPartial,
        hasMore: page.pagination.hasMore,
      });
      cursor = page.pagination.nextCursor;
    } while (cursor && pages.length < 20);
    // Ten rows, three per request: 1–3 (job 1), 4–6, 7–9 (job 8), then 10 and the end.
    expect(pages).toEqual([
      { ids: [made[1]!.id], isPartial: true, hasMore: true },
      { ids: [], isPartial: true, hasMore: true },
      { ids: [made[8]!.id], isPartial: true, hasMore: true },
      { ids: [], isPartial: false, hasMore: false },
    ]);
    // The stats count every match: they are never partial.
    const stats = await suite.server.request("/v1/jobs/stats?payload.hit=true", { token: suite.bob });
    expect(JobStatsResponseSchema.parse(stats.body).data.total).toBe(2);
  });
});
