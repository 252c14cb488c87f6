import type { Job, JobFilters, ListJobsQuery, SortBy } from "@jobdeck/contract";
import type { Prisma } from "../../generated/prisma-sqlite/client.js";
import { cursorBinding, decodeCursor, encodeCursor, type CursorPosition } from "./cursor.js";
import type { JobsDeps } from "./deps.js";
import { toJob } from "./mapper.js";

export type JobPage = {
  data: Job[];
  pagination: { limit: number; nextCursor: string | null; hasMore: boolean };
};

const isTimestamp = (sortBy: SortBy) => sortBy === "createdAt" || sortBy === "updatedAt";

/** Filters shared by the list and the stats. */
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

/**
 * Rows strictly after the cursor in (sortField, id) order. The redundant `sortField <= value` (or
 * `>=`) gives both databases a range to start the index scan at, so page 10,000 costs what page 1
 * costs; the OR then excludes the rows already seen.
 */
function afterCursor(sortBy: SortBy, order: "asc" | "desc", position: CursorPosition): Prisma.JobWhereInput {
  const value = isTimestamp(sortBy) ? new Date(position.value) : position.value;
  const strictly = order === "desc" ? "lt" : "gt";
  const orEqual = order === "desc" ? "lte" : "gte";
  return {
    AND: [
      { [sortBy]: { [orEqual]: value } },
      { OR: [{ [sortBy]: { [strictly]: value } }, { [sortBy]: value, id: { [strictly]: position.id } }] },
    ],
  };
}

export async function listJobs({
  db,
  cursorKey,
  userId,
  query,
}: Pick<JobsDeps, "db" | "cursorKey"> & { userId: string; query: ListJobsQuery }): Promise<JobPage> {
  const sortBy = query.sortBy ?? "createdAt";
  const order = query.sortOrder ?? "desc";
  const binding = cursorBinding(userId, query);
  const where = jobFilters(userId, query);
  if (query.cursor) {
    const position = decodeCursor(
      cursorKey,
      binding,
      query.cursor,
      isTimestamp(sortBy) ? "number" : "string",
    );
    where.AND = [afterCursor(sortBy, order, position)];
  }
  const rows = await db.prisma.job.findMany({
    where,
    orderBy: [{ [sortBy]: order }, { id: order }],
    take: query.limit + 1,
  });
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
