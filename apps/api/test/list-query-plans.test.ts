import { JOB_STATUSES, SORT_FIELDS, SORT_ORDERS, type ListJobsQuery } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Params } from "../src/db/index.js";
import { listJobs } from "../src/jobs/list-jobs.js";
import { createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import { silentLogger } from "./support/fixtures.js";
import { openPrisma } from "./support/prisma.js";

const providers = await testProviders();
const USERS = 8;
const ROWS = 20_000;
const TYPES = ["echo", "sleep", "http.request", "markdown.render", "image.thumbnail"];

/** The filter sets the dashboard uses most, for every sort: none, by status, by type, by result type. */
const FILTERS: Partial<ListJobsQuery>[] = [
  {},
  { status: ["failed"] },
  { status: ["completed", "failed"] },
  { type: ["echo", "sleep"] },
  { resultType: ["json"] },
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
      createdAt: new Date(start + Math.floor(i / 3) * 1000),
      updatedAt: new Date(start + ((i * 7919) % ROWS) * 1000),
    }));
    const prisma = openPrisma(database);
    for (let i = 0; i < rows.length; i += 2000)
      await prisma.job.createMany({ data: rows.slice(i, i + 2000) });
    await prisma.$executeRawUnsafe("ANALYZE");
    await prisma.$disconnect();
  }, 120_000);
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  async function listSql(
    query: ListJobsQuery,
  ): Promise<{ sql: string; params: Params; nextCursor: string | null }> {
    queries.length = 0;
    const page = await listJobs({ db, cursorKey, userId: "user-3", query });
    const read = queries.find((q) => /FROM .*jobs/i.test(q.sql));
    if (!read) throw new Error("no list query was heard");
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
    } else {
      expect(text).not.toMatch(/\bSort\b/);
      expect(text).toMatch(new RegExp(`Index Scan( Backward)? using "?${index}"? on jobs`));
    }
  }

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
          const isPinned = sortBy in filters;
          expect(next.sql).toMatch(
            isPinned ? /"id" [<>] @afterId ORDER/ : /\("(createdAt|updatedAt|type|status)", "id"\) [<>] \(/,
          );
          expectIndexOrdered(await plan(next.sql, next.params), sortBy, isFiltered);
        }
      });
    }
  }
});
