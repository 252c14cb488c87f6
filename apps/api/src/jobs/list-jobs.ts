import type { Job, JobFilters, ListJobsQuery, SortBy } from "@jobdeck/contract";
import { Prisma, type Job as JobRow } from "../../generated/prisma-sqlite/client.js";
import { cursorBinding, decodeCursor, encodeCursor } from "./cursor.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";

export type JobPage = {
  data: Job[];
  pagination: { limit: number; nextCursor: string | null; hasMore: boolean };
};

const isTimestamp = (sortBy: SortBy) => sortBy === "createdAt" || sortBy === "updatedAt";

/** Filters shared by the list and the stats, as a Prisma where clause. */
export function jobFilters(userId: string, query: JobFilters): Prisma.JobWhereInput {
  const where: Prisma.JobWhereInput = { userId };
  if (query.type) where.type = { in: query.type };
  if (query.status) where.status = { in: query.status };
  if (query.resultType) where.resultType = { in: query.resultType };
  if (query.createdFrom !== undefined || query.createdTo !== undefined) {
    where.createdAt = {
      ...(query.createdFrom !== undefined ? { gte: new Date(query.createdFrom) } : {}),
      ...(query.createdTo !== undefined ? { lte: new Date(query.createdTo) } : {}),
    };
  }
  return where;
}

/** The same filters as SQL conditions, for the list query below. */
function filterConditions(userId: string, query: JobFilters): Prisma.Sql[] {
  const conditions = [Prisma.sql`"userId" = ${userId}`];
  if (query.type) conditions.push(Prisma.sql`"type" IN (${Prisma.join(query.type)})`);
  if (query.status) conditions.push(Prisma.sql`"status" IN (${Prisma.join(query.status)})`);
  if (query.resultType) conditions.push(Prisma.sql`"resultType" IN (${Prisma.join(query.resultType)})`);
  if (query.createdFrom !== undefined)
    conditions.push(Prisma.sql`"createdAt" >= ${new Date(query.createdFrom)}`);
  if (query.createdTo !== undefined) conditions.push(Prisma.sql`"createdAt" <= ${new Date(query.createdTo)}`);
  return conditions;
}

/** Only these identifiers are ever spliced into SQL; every value is a bound parameter. */
const SORT_COLUMNS: Record<SortBy, Prisma.Sql> = {
  createdAt: Prisma.raw('"createdAt"'),
  updatedAt: Prisma.raw('"updatedAt"'),
  type: Prisma.raw('"type"'),
  status: Prisma.raw('"status"'),
};

/**
 * One keyset page. The cursor condition is a row-value comparison, `("sortField", "id") < (v, id)`,
 * which both SQLite and PostgreSQL turn into an index range on (userId, sortField, id): the scan
 * starts at the cursor, so page 10,000 costs what page 1 costs, and rows come out in index order with
 * nothing sorted. It is raw SQL because Prisma's query builder can only say it as an OR, which
 * PostgreSQL's planner answers with a bitmap scan and a sort.
 */
export async function listJobs({
  db,
  cursorKey,
  userId,
  query,
}: Pick<JobsDeps, "db" | "cursorKey"> & { userId: string; query: ListJobsQuery }): Promise<JobPage> {
  const sortBy = query.sortBy ?? "createdAt";
  const isDescending = (query.sortOrder ?? "desc") === "desc";
  const column = SORT_COLUMNS[sortBy];
  const binding = cursorBinding(userId, query);
  const conditions = filterConditions(userId, query);
  if (query.cursor) {
    const position = decodeCursor(
      cursorKey,
      binding,
      query.cursor,
      isTimestamp(sortBy) ? "number" : "string",
    );
    const value = isTimestamp(sortBy) ? new Date(position.value) : position.value;
    conditions.push(
      isDescending
        ? Prisma.sql`(${column}, "id") < (${value}, ${position.id})`
        : Prisma.sql`(${column}, "id") > (${value}, ${position.id})`,
    );
  }
  const direction = Prisma.raw(isDescending ? "DESC" : "ASC");
  const rows = await db.prisma.$queryRaw<JobRow[]>`
    SELECT * FROM "jobs"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${column} ${direction}, "id" ${direction}
    LIMIT ${query.limit + 1}`;

  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  const nextCursor =
    hasMore && last
      ? encodeCursor(cursorKey, binding, {
          value: isTimestamp(sortBy) ? last[sortBy].getTime() : last[sortBy],
          id: last.id,
        })
      : null;
  return { data: page.map(toJob), pagination: { limit: query.limit, nextCursor, hasMore } };
}
