import { JOB_STATUSES, type JobFilters, type JobStats, type JobStatus } from "@jobdeck/contract";
import type { SqlValue } from "../db/raw-sql.js";
import type { JobsDeps } from "./deps.js";
import { filterConditions } from "./filters.js";

/** Counts by status over the list's filters: one GROUP BY, served by the (userId, status, id) index. */
export async function getJobStats({
  db,
  userId,
  query,
}: Pick<JobsDeps, "db"> & { userId: string; query: JobFilters }): Promise<JobStats> {
  const values: SqlValue[] = [];
  const conditions = filterConditions(userId, query, values);
  const groups = await db.sql.all<{ status: string; count: number | string }>(
    `SELECT "status", COUNT(*) AS "count" FROM "jobs" WHERE ${conditions.join(" AND ")} GROUP BY "status"`,
    values,
  );
  const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  let total = 0;
  for (const group of groups) {
    // PostgreSQL's COUNT is a bigint, which pg hands over as text.
    const count = Number(group.count);
    total += count;
    if (group.status in byStatus) byStatus[group.status as JobStatus] = count;
  }
  return { total, byStatus };
}
