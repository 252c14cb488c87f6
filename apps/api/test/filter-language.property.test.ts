import {
  JOB_STATUSES,
  JobsBatchResponseSchema,
  ListJobsResponseSchema,
  SORT_FIELDS,
} from "@jobdeck/contract";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

/**
 * §15's filter language, every combination: jobs with tags, metadata, payloads, results and errors
 * are made through the API (so their label rows are written as a create writes them), then each
 * generated query is walked page by page, cursor after cursor, and must yield exactly what a plain
 * filter over the same jobs yields, in the list's order. FILTER_SCAN_LIMIT is tiny, so filters the
 * indexes cannot narrow answer partial pages, which the walk follows too.
 */

const TAGS = ["t1", "t2", "t3"];
const CODES = ["E1", "E2"];
const SCAN_LIMIT = 5;

type Stored = {
  id: string;
  userId: string;
  type: string;
  status: string;
  createdAt: number;
  updatedAt: number;
  runAt: number;
  priority: number;
  tags: string[];
  metadata: Record<string, unknown>;
  payload: Record<string, unknown>;
  result: unknown;
  error: { code: string; message: string } | null;
};

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const jobArb = fc.record({
  user: fc.constantFrom("alice", "alice", "alice", "bob"),
  type: fc.constantFrom("echo", "sleep"),
  status: fc.constantFrom(...JOB_STATUSES),
  priority: fc.constantFrom(-1, 0, 1),
  tags: fc.subarray(TAGS),
  metadata: fc.record(
    { team: fc.constantFrom("a", "b"), n: fc.constantFrom<unknown>(1, "1", true, 2.5) },
    { requiredKeys: [] },
  ),
  payload: fc.record(
    {
      n: fc.constantFrom<unknown>(1, "1", 2, null),
      s: fc.constantFrom("a", "b,c"),
      deep: fc.record({ x: fc.constantFrom<unknown>(1, true, null, "x") }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
  result: fc.constantFrom<unknown>(null, { ok: true }, { ok: false, n: 1 }),
  code: maybe(fc.constantFrom(...CODES)),
});
type NewJob = typeof jobArb extends fc.Arbitrary<infer J> ? J : never;

const subset = <T>(values: readonly T[]) =>
  fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });

/** Filter values as a person would type them: numbers, quoted strings, bare words, true, null. */
const queryArb = fc.record({
  sortBy: fc.constantFrom(...SORT_FIELDS),
  sortOrder: fc.constantFrom("asc", "desc"),
  status: subset(JOB_STATUSES),
  tag: subset(TAGS),
  tagsAll: subset(TAGS),
  errorCode: subset(CODES),
  // A query string holds one value per parameter: each key or path once.
  metadata: fc.uniqueArray(
    fc.tuple(fc.constantFrom("team", "n"), fc.constantFrom("a", "1", '"1"', "true", "2.5", "null")),
    { maxLength: 2, selector: ([key]) => key },
  ),
  payload: fc.uniqueArray(
    fc.tuple(
      fc.constantFrom("n", "s", "deep.x", "deep"),
      fc.constantFrom("1", '"1"', "a", "b,c", "true", "null", "x"),
    ),
    { maxLength: 2, selector: ([path]) => path },
  ),
  result: maybe(fc.tuple(fc.constantFrom("ok", "n"), fc.constantFrom("true", "false", "1"))),
  idPrefix: maybe(fc.nat(40)),
  limits: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
});
type Query = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

const asValue = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

const at = (json: unknown, path: string[]): unknown => {
  let value = json;
  for (const name of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !(name in value))
      return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
};

/** Scalars by ===; the generated values hold no objects to compare except whole `deep`s (never equal to a filter value). */
const matches = (value: unknown, raw: string) => value !== undefined && value === asValue(raw);

function idPrefixOf(query: Query, jobs: Stored[]): string | undefined {
  if (query.idPrefix === undefined || jobs.length === 0) return undefined;
  const id = jobs[query.idPrefix % jobs.length]!.id;
  // Long enough to pick few jobs, upper case to show it is case-insensitive.
  return id.slice(0, 8 + (query.idPrefix % 20)).toUpperCase();
}

function expected(jobs: Stored[], query: Query): string[] {
  const prefix = idPrefixOf(query, jobs)?.toLowerCase();
  const kept = jobs.filter(
    (job) =>
      job.userId === "alice" &&
      (!query.status || query.status.includes(job.status as never)) &&
      (!query.tag || query.tag.some((tag) => job.tags.includes(tag))) &&
      (!query.tagsAll || query.tagsAll.every((tag) => job.tags.includes(tag))) &&
      (!query.errorCode || (job.error !== null && query.errorCode.includes(job.error.code))) &&
      query.metadata.every(([key, raw]) => matches(job.metadata[key], raw)) &&
      query.payload.every(([path, raw]) => matches(at(job.payload, path.split(".")), raw)) &&
      (!query.result || matches(at(job.result, [query.result[0]]), query.result[1])) &&
      (prefix === undefined || job.id.startsWith(prefix)),
  );
  const direction = query.sortOrder === "asc" ? 1 : -1;
  const field = query.sortBy;
  return kept
    .sort((a, b) => {
      const x = a[field];
      const y = b[field];
      const byField =
        typeof x === "number" && typeof y === "number"
          ? x - y
          : String(x) < String(y)
            ? -1
            : String(x) > String(y)
              ? 1
              : 0;
      return direction * (byField !== 0 ? byField : a.id < b.id ? -1 : 1);
    })
    .map((job) => job.id);
}

describe.each(providers)("the filter language on %s (property)", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    // Every case walks its pages as alice, 40 cases in seconds: the default 600 a minute could refuse one.
    server = await startTestServer(provider, {
      FILTER_SCAN_LIMIT: String(SCAN_LIMIT),
      RATE_LIMIT_PER_MINUTE: "1000000",
    });
  });
  afterAll(() => server.close());

  async function store(newJobs: NewJob[]): Promise<Stored[]> {
    const stored: Stored[] = [];
    for (const user of ["alice", "bob"]) {
      const mine = newJobs.filter((job) => job.user === user);
      if (mine.length === 0) continue;
      const response = await server.request(
        "/v1/jobs/batch",
        postJson(
          {
            jobs: mine.map((job) => ({
              type: job.type,
              payload: job.type === "sleep" ? { ms: 1 } : job.payload,
              priority: job.priority,
              tags: job.tags,
              metadata: job.metadata,
            })),
          },
          server.token(user),
        ),
      );
      expect(response.status, response.text).toBe(201);
      const created = JobsBatchResponseSchema.parse(response.body).data.jobs;
      for (const [i, job] of created.entries()) {
        const spec = mine[i]!;
        const error = spec.code ? { code: spec.code, message: "no" } : null;
        const result = spec.status === "completed" ? spec.result : null;
        await server.prisma.job.update({
          where: { id: job.id },
          data: {
            status: spec.status,
            error: error ?? undefined,
            result: result === null ? undefined : (result as object),
          },
        });
        stored.push({
          id: job.id,
          userId: user,
          type: job.type,
          status: spec.status,
          createdAt: Date.parse(job.createdAt),
          updatedAt: Date.parse(job.updatedAt),
          runAt: Date.parse(job.runAt),
          priority: job.priority,
          tags: job.tags,
          metadata: job.metadata,
          payload: job.payload as Record<string, unknown>,
          result,
          error,
        });
      }
    }
    return stored;
  }

  async function walk(query: Query, jobs: Stored[]): Promise<string[]> {
    const params = new URLSearchParams({ sortBy: query.sortBy, sortOrder: query.sortOrder });
    if (query.status) params.set("status", query.status.join(","));
    if (query.tag) params.set("tag", query.tag.join(","));
    if (query.tagsAll) params.set("tagsAll", query.tagsAll.join(","));
    if (query.errorCode) params.set("errorCode", query.errorCode.join(","));
    for (const [key, raw] of query.metadata) params.set(`metadata.${key}`, raw);
    for (const [path, raw] of query.payload) params.set(`payload.${path}`, raw);
    if (query.result) params.set(`result.${query.result[0]}`, query.result[1]);
    const prefix = idPrefixOf(query, jobs);
    if (prefix) params.set("idPrefix", prefix);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const limit = query.limits[page % query.limits.length]!;
      const pageParams = new URLSearchParams(params);
      pageParams.set("limit", String(limit));
      if (cursor) pageParams.set("cursor", cursor);
      const response = await server.request(`/v1/jobs?${pageParams.toString()}`, {
        token: server.token("alice"),
      });
      expect(response.status, response.text).toBe(200);
      const body = ListJobsResponseSchema.parse(response.body);
      expect(body.data.length).toBeLessThanOrEqual(limit);
      expect(body.pagination.hasMore).toBe(body.pagination.nextCursor !== null);
      seen.push(...body.data.map((job) => job.id));
      if (!body.pagination.hasMore) return seen;
      // A page short of its limit is a partial one: it says so.
      if (body.data.length < limit) expect(body.pagination.isPartial).toBe(true);
      cursor = body.pagination.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  it("walking every page yields exactly what a plain filter keeps, in order, each job once", async () => {
    const { prisma } = server;
    await fc.assert(
      fc.asyncProperty(fc.array(jobArb, { maxLength: 30 }), queryArb, async (newJobs, query) => {
        await prisma.job.deleteMany();
        await prisma.jobTag.deleteMany();
        await prisma.jobMetadata.deleteMany();
        const jobs = await store(newJobs);
        expect(await walk(query, jobs)).toEqual(expected(jobs, query));
      }),
      { numRuns: 40 },
    );
  });
});
