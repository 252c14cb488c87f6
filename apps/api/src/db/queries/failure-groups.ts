import { FAILURE_GROUPS_MAX, type JobFilters } from "@jobdeck/contract";
import type { Database } from "../index.js";
import { filterConditions } from "./job-filters.js";

export type FailureGroupRow = {
  type: string;
  errorCode: string | null;
  count: number;
  latestAt: number | null;
};

/**
 * A user's failed jobs over the list's filters, grouped by type and error code, largest group first:
 * one GROUP BY over the (userId, status, …) index range of the failed jobs (each row is read for its
 * error code).
 */
export function groupFailedJobs(
  db: Pick<Database, "read" | "sql">,
  userId: string,
  filters: JobFilters,
): Promise<FailureGroupRow[]> {
  const params: Record<string, unknown> = {};
  const conditions = filterConditions(db.sql, userId, { ...filters, status: ["failed"] }, params);
  const errorCode = db.sql.jsonMemberText(`"error"`, "code");
  return db.read.all<FailureGroupRow>(
    `SELECT "type", ${errorCode} AS "errorCode", COUNT(*) AS "count", MAX("finishedAt") AS "latestAt"
      FROM "jobs" WHERE ${conditions.join(" AND ")}
      GROUP BY "type", ${errorCode}
      ORDER BY COUNT(*) DESC, "type", ${errorCode} LIMIT ${FAILURE_GROUPS_MAX}`,
    params,
  );
}
