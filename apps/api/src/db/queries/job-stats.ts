import { JOB_STATUSES, type JobFilters, type JobStatus } from "@jobdeck/contract";
import type { Database } from "../index.js";
import { filterConditions } from "./job-filters.js";

/** A user's jobs by status over the list's filters: one GROUP BY, served by the (userId, status, id) index. */
export async function countJobsByStatus(
  db: Pick<Database, "read">,
  userId: string,
  filters: JobFilters,
): Promise<Record<JobStatus, number>> {
  const params: Record<string, unknown> = {};
  const conditions = filterConditions(userId, filters, params);
  const groups = await db.read.all<{ status: string; count: number }>(
    `SELECT "status", COUNT(*) AS "count" FROM "jobs" WHERE ${conditions.join(" AND ")} GROUP BY "status"`,
    params,
  );
  const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  for (const { status, count } of groups) if (status in byStatus) byStatus[status as JobStatus] = count;
  return byStatus;
}

/** Every user's jobs by status (for /metrics). */
export async function countAllJobsByStatus(
  db: Pick<Database, "read">,
): Promise<{ status: string; count: number }[]> {
  return db.read.all(`SELECT "status", COUNT(*) AS "count" FROM "jobs" GROUP BY "status"`);
}
