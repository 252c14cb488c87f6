import { JOB_STATUSES, ListJobsResponseSchema, SORT_FIELDS, type Job } from "@jobdeck/contract";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();

/** Type names chosen to expose collation: upper before lower, a dot, non-ASCII, an astral emoji
 * (UTF-16 order and code point order disagree on it against U+FF5A). */
const TYPES = ["a", "B", "echo", "e", "é", "z.z", "Z", "ｚ", "😀"];
const RESULT_TYPES = ["json", "html", "image"];
const BASE = Date.UTC(2026, 10, 1);
/** Few distinct instants, so many rows share createdAt/updatedAt and ties must be broken by id. */
const INSTANTS = [BASE, BASE + 1, BASE + 1000, BASE + 60_000];
const QUEUES = ["default", "a", "b.c"];
const KEYS = ["k1", "K1", "k2"];

type Row = {
  id: string;
  userId: string;
  type: string;
  status: string;
  resultType: string;
  createdAt: number;
  updatedAt: number;
  runAt: number;
  priority: number;
  queue: string;
  concurrencyKey: string | null;
};

const rowArb = fc.record({
  id: fc.uuid({ version: 7 }),
  userId: fc.constantFrom("alice", "bob"),
  type: fc.constantFrom(...TYPES),
  status: fc.constantFrom(...JOB_STATUSES),
  resultType: fc.constantFrom(...RESULT_TYPES),
  createdAt: fc.constantFrom(...INSTANTS),
  updatedAt: fc.constantFrom(...INSTANTS),
  runAt: fc.constantFrom(...INSTANTS),
  priority: fc.constantFrom(-100, -1, 0, 1, 100),
  queue: fc.constantFrom(...QUEUES),
  concurrencyKey: fc.constantFrom(null, ...KEYS),
});

const subset = <T>(values: readonly T[]) =>
  fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });

const queryArb = fc.record({
  sortBy: fc.constantFrom(...SORT_FIELDS),
  sortOrder: fc.constantFrom("asc", "desc"),
  type: subset(TYPES),
  status: subset(JOB_STATUSES),
  resultType: subset(RESULT_TYPES),
  queue: subset(QUEUES),
  concurrencyKey: subset(KEYS),
  createdFrom: fc.option(fc.constantFrom(...INSTANTS), { nil: undefined }),
  createdTo: fc.option(fc.constantFrom(...INSTANTS), { nil: undefined }),
  limits: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
});
type Query = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

/** Code point order: what SQLite's BINARY and PostgreSQL's "C" collations give for UTF-8 text. */
function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a, (ch) => ch.codePointAt(0)!);
  const cb = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

function expected(rows: Row[], query: Query): string[] {
  const matching = rows.filter(
    (r) =>
      r.userId === "alice" &&
      (!query.type || query.type.includes(r.type)) &&
      (!query.status || query.status.includes(r.status as Job["status"])) &&
      (!query.resultType || query.resultType.includes(r.resultType)) &&
      (!query.queue || query.queue.includes(r.queue)) &&
      (!query.concurrencyKey ||
        (r.concurrencyKey !== null && query.concurrencyKey.includes(r.concurrencyKey))) &&
      (query.createdFrom === undefined || r.createdAt >= query.createdFrom) &&
      (query.createdTo === undefined || r.createdAt <= query.createdTo),
  );
  const direction = query.sortOrder === "asc" ? 1 : -1;
  return matching
    .sort((a, b) => {
      const field = query.sortBy;
      const byField =
        field === "createdAt" || field === "updatedAt" || field === "runAt" || field === "priority"
          ? a[field] - b[field]
          : compareCodePoints(a[field], b[field]);
      return direction * (byField !== 0 ? byField : compareCodePoints(a.id, b.id));
    })
    .map((r) => r.id);
}

describe.each(providers)("keyset pagination on %s (property)", (provider) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(provider);
    token = server.token("alice");
  });
  afterAll(() => server.close());

  async function walk(query: Query): Promise<string[]> {
    const params = new URLSearchParams({ sortBy: query.sortBy, sortOrder: query.sortOrder });
    if (query.type) params.set("type", query.type.join(","));
    if (query.status) params.set("status", query.status.join(","));
    if (query.resultType) params.set("resultType", query.resultType.join(","));
    if (query.queue) params.set("queue", query.queue.join(","));
    if (query.concurrencyKey) params.set("concurrencyKey", query.concurrencyKey.join(","));
    if (query.createdFrom !== undefined) params.set("createdFrom", String(query.createdFrom));
    if (query.createdTo !== undefined) params.set("createdTo", String(query.createdTo));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const limit = query.limits[page % query.limits.length]!;
      const pageParams = new URLSearchParams(params);
      pageParams.set("limit", String(limit));
      if (cursor) pageParams.set("cursor", cursor);
      const response = await server.request(`/v1/jobs?${pageParams.toString()}`, { token });
      expect(response.status, response.text).toBe(200);
      const body = ListJobsResponseSchema.parse(response.body);
      expect(body.data.length).toBeLessThanOrEqual(limit);
      expect(body.pagination.hasMore).toBe(body.pagination.nextCursor !== null);
      expect(body.pagination.isPartial).toBe(false);
      seen.push(...body.data.map((j) => j.id));
      if (!body.pagination.hasMore) return seen;
      expect(body.data).toHaveLength(limit);
      cursor = body.pagination.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  it("walking every page yields exactly the filtered, sorted set, each job once", async () => {
    const prisma = server.prisma;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(rowArb, { maxLength: 40, selector: (r) => r.id }),
        queryArb.filter(
          (q) => q.createdFrom === undefined || q.createdTo === undefined || q.createdFrom <= q.createdTo,
        ),
        async (rows, query) => {
          await prisma.job.deleteMany();
          await prisma.job.createMany({
            data: rows.map((r) => ({
              ...r,
              payload: {},
              maxAttempts: 1,
              timeoutMs: 1000,
              runAt: new Date(r.runAt),
              createdAt: new Date(r.createdAt),
              updatedAt: new Date(r.updatedAt),
            })),
          });
          expect(await walk(query)).toEqual(expected(rows, query));
        },
      ),
      { numRuns: 40 },
    );
  });
});
