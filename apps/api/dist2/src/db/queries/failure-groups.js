import { FAILURE_GROUPS_MAX } from "@jobdeck/contract";
import { filterConditions } from "./job-filters.js";
/**
 * A user's failed jobs over the list's filters, grouped by type and error code, largest group first:
 * one GROUP BY over the (userId, status, …) index range of the failed jobs (each row is read for its
 * error code).
 */
export function groupFailedJobs(db, userId, filters) {
    const params = {};
    const conditions = filterConditions(db.sql, userId, { ...filters, status: ["failed"] }, params);
    const errorCode = db.sql.jsonMemberText(`"error"`, "code");
    return db.read.all(`SELECT "type", ${errorCode} AS "errorCode", COUNT(*) AS "count", MAX("finishedAt") AS "latestAt"
      FROM "jobs" WHERE ${conditions.join(" AND ")}
      GROUP BY "type", ${errorCode}
      ORDER BY COUNT(*) DESC, "type", ${errorCode} LIMIT ${FAILURE_GROUPS_MAX}`, params);
}
//# sourceMappingURL=failure-groups.js.map