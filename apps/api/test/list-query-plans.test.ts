import { JOB_STATUSES, SORT_FIELDS, SORT_ORDERS, type ListJobsQuery } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Params } from "../src/db/index.js";
import { listJobs } from "../src/jobs/list-jobs.js";
import { listQueues } from "../src/queues/list-queues.js";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import { silentLogger } from "./support/fixtures.js";
import { openPrisma } from "./support/prisma.js";

const providers = await testProviders();
const USERS = 8;
const ROWS = 20_000;
const TYPES = ["echo", "sleep", "http.request", "markdown.render", "image.thumbnail"];

const QUEUES = ["q0", "q1", "q2"];
const KEYS = ["k0", "k1", "k2", "k3", null];

/**
 * The filter sets the dashboard uses most, for every sort: none, by status, by type, by result type,
 * by queue and key (§11), and by waitReason, which reads pending jobs in list order and computes the
 * reason per row.
 */
const FILTERS: Partial<ListJobsQuery>[] = [
  {},
  { status: ["failed"] },
  { status: ["completed", "failed"] },
  { type: ["echo", "sleep"] },
  { resultType: ["json"] },
  { queue: ["q0", "q2"] },
  { concurrencyKey: ["k1"] },
  { waitReason: ["queued"] },
  { waitReason: ["concurrency", "rate_limit"] },
];

/**
 * Every sortBy, in both orders, first page and a page reached by cursor, must be served by an index
 * in order: no query sorts the jobs table in memory. The plans are read from the database itself,
 * for the exact SQL and parameters the list sends.
 */
describe.each(providers)("list query plans on %s", (provider) => {
  let database: TestDatabase;
  let db: Database;
  const queries: { sql: string; params: Params }[] = [];
  const cursorKey = Buffer.alloc(32, 7);

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    db = await openDatabase(database.url, {
      logger: silentLogger,
      onRead: (sql, params) => queries.push({ sql, params }),
    });
    const start = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      id: `00000000-0000-7000-8000-${i.toString(16).padStart(12, "0")}`,
      // The user under test owns most rows, like the heavy users the list must stay fast for.
      userId: i % 4 === 0 ? `user-${i % USERS}` : "user-3",
      type: TYPES[(i * 7) % TYPES.length]!,
      status: JOB_STATUSES[(i * 3) % JOB_STATUSES.length]!,
      resultType: i % 4 === 0 ? "html" : "json",
      payload: { i },
      maxAttempts: 3,
      timeoutMs: 1000,
      runAt: new Date(start + i * 1000),
      queue: QUEUES[i % QUEUES.length]!,
      concurrencyKey: KEYS[(i * 3) % KEYS.length]!,
      priority: ((i * 13) % 201) - 100,
      createdAt: new Date(start + Math.floor(i / 3) * 1000),
      tags: i % 3 === 0 ? ["t:a"] : undefined,
      metadata: i % 5 === 0 ? { team: "x" } : undefined,
      updatedAt: new Date(start + ((i * 7919) % ROWS) * 1000),
    }));
    const prisma = openPrisma(database);
    for (let i = 0; i < rows.length; i += 2000)
      await prisma.job.createMany({ data: rows.slice(i, i + 2000) });
    // Every user's queues with limits, recent starts, and a live worker: waitReason reads them all.
    const now = Date.now();
    await prisma.queue.createMany({
      data: Array.from({ length: USERS }, (_, u) => [
        { userId: `user-${u}`, name: "q0", concurrency: 2, perKeyConcurrency: 1, isFlowControlled: true },
        {
          userId: `user-${u}`,
          name: "q1",
          rateLimit: 5,
          ratePeriodMs: 3_600_000,
          perKeyRateLimit: 1,
          perKeyRatePeriodMs: 3_600_000,
          isFlowControlled: true,
        },
        { userId: `user-${u}`, name: "q2" },
      ])
        .flat()
        // And many other owners' queues, so that a whole-table read would show in the plans.
        .concat(Array.from({ length: 3_000 }, (_, i) => ({ userId: `other-${i}`, name: "default" })))
        .map((queue) => ({ ...queue, createdAt: new Date(start), updatedAt: new Date(start) })),
    });
    await prisma.queueStart.createMany({
      data: Array.from({ length: 5_000 }, (_, i) => ({
        userId: `user-${i % USERS}`,
        queue: QUEUES[i % QUEUES.length]!,
        concurrencyKey: KEYS[i % KEYS.length] ?? "",
        startedAt: new Date(now - (i % 100) * 60_000),
      })),
    });
    // §15's labels: a tag on every third row, a metadata value on every fifth, with their label rows.
    const labelled = rows.filter((_, i) => i % 3 === 0);
    await prisma.jobTag.createMany({
      data: labelled.map((row) => ({
        jobId: row.id,
        userId: row.userId,
        tag: "t:a",
        createdAt: row.createdAt,
      })),
    });
    await prisma.jobMetadata.createMany({
      data: rows
        .filter((_, i) => i % 5 === 0)
        .map((row) => ({
          jobId: row.id,
          userId: row.userId,
          key: "team",
          value: '"x"',
          createdAt: row.createdAt,
        })),
    });
    await prisma.worker.create({
      data: { id: "w1", types: JSON.stringify(TYPES), concurrency: 4, lastSeenAt: new Date(now + 3_600_000) },
    });
    await prisma.$executeRawUnsafe("ANALYZE");
    await prisma.$executeRawUnsafe("ANALYZE");
    await prisma.$disconnect();
  }, 120_000);
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  async function listSql(query: ListJobsQuery): Promise<{
    sql: string;
    params: Params;
    nextCursor: string | null;
    heard: { sql: string; params: Params }[];
  }> {
    queries.length = 0;
    const page = await listJobs({ db, cursorKey, userId: "user-3", query, filterScanLimit: 100_000 });
    const read = queries.find((q) => /FROM .*jobs/i.test(q.sql));
    if (!read) throw new Error("no list query was heard");
    return { ...read, nextCursor: page.pagination.nextCursor, heard: [...queries] };
  }

  async function listLabelSql(query: ListJobsQuery) {
    queries.length = 0;
    const page = await listJobs({ db, cursorKey, userId: "user-3", query, filterScanLimit: 100_000 });
    const read = queries.find((q) => /FROM "job_(tags|metadata)"/.test(q.sql));
    if (!read) throw new Error("no label query was heard");
    return { ...read, nextCursor: page.pagination.nextCursor };
  }

  /** The database's own plan for a statement, with the same parameters, on the same read path. */
  async function plan(sql: string, params: Params): Promise<string> {
    if (provider === "sqlite") {
      const rows = await db.read.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
      return rows.map((r) => r.detail).join("\n");
    }
    const rows = await db.read.all<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  }

  /** Rows come out of an index in order. With an equality filter on the sort field itself, any index
   * ordered by id serves (PostgreSQL may then pick the primary key), so only the absence of a sort is
   * required of filtered queries. */
  function expectIndexOrdered(text: string, sortBy: string, isFiltered: boolean) {
    const index = isFiltered ? "\\w+" : `jobs_userId_${sortBy}_id_idx`;
    if (provider === "sqlite") {
      expect(text).not.toMatch(/TEMP B-TREE/);
      expect(text).toMatch(new RegExp(`(SEARCH|SCAN) (main\\.)?jobs USING (COVERING )?INDEX ${index}`));
    } else if (isFiltered && /Incremental Sort/.test(text)) {
      // A status filter (waitReason's too) with sortBy=priority, for a user who owns most rows: PostgreSQL
      // may read the claim's (status, priority DESC, runAt, id) index, in priority order, and sort only
      // the jobs of one priority by id. The scan is still ordered by the sort field and starts at the
      // cursor; never a full sort.
      expect(text).toMatch(new RegExp(`Presorted Key: "?${sortBy}"?\\n`));
      expect(text).not.toMatch(/^\s*(->\s*)?Sort\s+\(/m);
      expect(text).toMatch(/Index (Only )?Scan( Backward)? using "?\w+"? on jobs/);
    } else {
      expect(text).not.toMatch(/\bSort\b/);
      expect(text).toMatch(new RegExp(`Index (Only )?Scan( Backward)? using "?${index}"? on jobs`));
    }
  }

  /**
   * The reads beside the page (waitReason's queues, running counts, rate windows, live workers) go
   * through an index: none reads a whole table of jobs or starts.
   */
  async function expectNoTableScan(sql: string, params: Params) {
    const text = await plan(sql, params);
    if (provider === "sqlite")
      expect(text, sql).not.toMatch(/SCAN (main\.)?(jobs|queue_starts|queues)\b(?! USING)/);
    else expect(text, sql).not.toMatch(/Seq Scan on (jobs|queue_starts|queues)\b/);
  }

  it("the queue list reads its page and its counts through indexes", async () => {
    queries.length = 0;
    const page = await listQueues({ db, cursorKey, userId: "user-3", query: { limit: 2 } });
    expect(page.data.map((queue) => queue.name)).toEqual(["q0", "q1"]);
    queries.length = 0;
    await listQueues({
      db,
      cursorKey,
      userId: "user-3",
      query: { limit: 2, cursor: page.pagination.nextCursor! },
    });
    const heard = [...queries];
    expect(heard.map((q) => q.sql).join("\n")).toMatch(/"name" > @afterName/);
    for (const query of heard) await expectNoTableScan(query.sql, query.params);
  });

  it("a tag or metadata filter in createdAt order reads its label index from the cursor on, joined by id", async () => {
    for (const filters of [
      { tag: ["t:a"] },
      { tag: ["t:a", "t:none"] },
      { tagsAll: ["t:a"], status: ["failed"] },
      { metadataEquals: [{ key: "team", value: "x" }] },
    ] satisfies Partial<ListJobsQuery>[]) {
      for (const sortOrder of SORT_ORDERS) {
        const query = { limit: 50, sortBy: "createdAt", sortOrder, ...filters } as ListJobsQuery;
        const first = await listLabelSql(query);
        expect(first.nextCursor).not.toBeNull();
        const next = await listLabelSql({ ...query, cursor: first.nextCursor! });
        expect(next.sql).toMatch(/\("createdAt", "jobId"\) [<>] \(@afterValue, @afterId\)/);
        for (const { sql, params } of [first, next]) {
          const text = await plan(sql, params);
          const index =
            "tag" in filters || "tagsAll" in filters
              ? "job_tags_userId_tag_createdAt_jobId_idx"
              : "job_metadata_userId_key_value_createdAt_jobId_idx";
          if (provider === "sqlite") {
            expect(text).not.toMatch(/TEMP B-TREE/);
            expect(text).toMatch(
              new RegExp(`SEARCH (main\\.)?job_(tags|metadata) USING (COVERING )?INDEX ${index}`),
            );
            expect(text).toMatch(/SEARCH (main\.)?jobs USING INDEX \w+ \((\w+=\? AND )*id=\?\)/);
          } else {
            expect(text).not.toMatch(/^\s*(->\s*)?Sort\s+\(/m);
            expect(text).toMatch(new RegExp(`Index (Only )?Scan( Backward)? using "?${index}"?`));
            expect(text).toMatch(/Index Scan using jobs_pkey on jobs/);
          }
        }
      }
    }
  });

  it("a payload filter, and a tag filter in another order, read the sort index in order, a window at a time", async () => {
    for (const filters of [
      { payloadEquals: [{ path: ["i"], value: 5 }] },
      { tag: ["t:a"], sortBy: "updatedAt" },
      { errorCode: ["E"], status: ["failed"], sortBy: "status" },
    ] satisfies Partial<ListJobsQuery>[]) {
      for (const sortOrder of SORT_ORDERS) {
        const sortBy = ("sortBy" in filters ? filters.sortBy : undefined) ?? "createdAt";
        const query = { limit: 50, sortOrder, ...filters, sortBy } as ListJobsQuery;
        const first = await listSql(query);
        // The first window's end is found in index order. Later windows are four times larger each:
        // on a table this small PostgreSQL may rather sort, and the matches of a window are bounded
        // by its last row, at most a window's rows, sorted or not.
        const boundary = first.heard.find((heard) => /OFFSET @skip/.test(heard.sql))!;
        expectIndexOrdered(await plan(boundary.sql, boundary.params), sortBy, true);
        expect(first.heard.map((q) => q.sql).join("\n")).toMatch(/OFFSET @skip/);
      }
    }
  });

  for (const sortBy of SORT_FIELDS) {
    for (const sortOrder of SORT_ORDERS) {
      it(`sortBy=${sortBy} sortOrder=${sortOrder}: index order on page 1 and past a cursor, with and without filters`, async () => {
        for (const filters of FILTERS) {
          const query = { limit: 50, sortBy, sortOrder, ...filters } as ListJobsQuery;
          const first = await listSql(query);
          const isFiltered = Object.keys(filters).length > 0;
          expectIndexOrdered(await plan(first.sql, first.params), sortBy, isFiltered);
          expect(first.nextCursor).not.toBeNull();
          const next = await listSql({ ...query, cursor: first.nextCursor! });
          // A filter on the sort field itself is read one value at a time, the cursor as an id bound.
          // waitReason reads pending jobs only: with sortBy=status that pins the status too.
          const isPinned = sortBy in filters || (sortBy === "status" && "waitReason" in filters);
          expect(next.sql).toMatch(
            isPinned
              ? /"id" [<>] @afterId ORDER/
              : /\("(createdAt|updatedAt|type|status|runAt|priority)", "id"\) [<>] \(/,
          );
          expectIndexOrdered(await plan(next.sql, next.params), sortBy, isFiltered);
          for (const other of [...first.heard, ...next.heard])
            await expectNoTableScan(other.sql, other.params);
        }
      });
    }
  }
});
