import { JOB_STATUSES, type JobFilters, type JobStatus } from "@jobdeck/contract";
import type { Database } from "../index.js";
import { filterConditions } from "./job-filters.js";

/** A user's jobs by status over the list's filters: one GROUP BY, served by the (userId, status, id) index. */
export async function countJobsByStatus(
  db: Pick<Database, "read" | "sql">,
  userId: string,
  filters: JobFilters,
): Promise<Record<JobStatus, number>> {
  const params: Record<string, unknown> = {};
  const conditions = filterConditions(db.sql, userId, filters, params);
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

/** Pending jobs over the filters whose runAt is ahead, by the reason their row gives (backoff, scheduled). */
export async function countDelayedPending(
  db: Pick<Database, "read" | "sql">,
  userId: string,
  filters: JobFilters,
  now: Date,
): Promise<{ reason: "backoff" | "scheduled"; count: number }[]> {
  const params: Record<string, unknown> = { now };
  const conditions = filterConditions(db.sql, userId, { ...filters, status: ["pending"] }, params);
  return db.read.all(
    `SELECT CASE WHEN "attempts" > 0 THEN 'backoff' ELSE 'scheduled' END AS "reason", COUNT(*) AS "count"
      FROM "jobs" WHERE ${conditions.join(" AND ")} AND "runAt" > @now GROUP BY 1`,
    params,
  );
}

export type RunnableGroup = { queue: string; type: string; concurrencyKey: string | null; count: number };

/**
 * Pending jobs over the filters that may start by their runAt, grouped by what their waitReason
 * depends on beyond the row: queue, type and key. Jobs of one group share their reason.
 */
export function groupRunnablePending(
  db: Pick<Database, "read" | "sql">,
  userId: string,
  filters: JobFilters,
  now: Date,
): Promise<RunnableGroup[]> {
  const params: Record<string, unknown> = { now };
  const conditions = filterConditions(db.sql, userId, { ...filters, status: ["pending"] }, params);
  return db.read.all<RunnableGroup>(
    `SELECT "queue", "type", "concurrencyKey", COUNT(*) AS "count"
      FROM "jobs" WHERE ${conditions.join(" AND ")} AND "runAt" <= @now
      GROUP BY "queue", "type", "concurrencyKey"`,
    params,
  );
}
