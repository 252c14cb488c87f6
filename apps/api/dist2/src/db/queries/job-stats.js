import { JOB_STATUSES } from "@jobdeck/contract";
import { filterConditions } from "./job-filters.js";
/** A user's jobs by status over the list's filters: one GROUP BY, served by the (userId, status, id) index. */
export async function countJobsByStatus(db, userId, filters) {
    const params = {};
    const conditions = filterConditions(db.sql, userId, filters, params);
    const groups = await db.read.all(`SELECT "status", COUNT(*) AS "count" FROM "jobs" WHERE ${conditions.join(" AND ")} GROUP BY "status"`, params);
    const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0]));
    for (const { status, count } of groups)
        if (status in byStatus)
            byStatus[status] = count;
    return byStatus;
}
/** Every user's jobs by status (for /metrics). */
export async function countAllJobsByStatus(db) {
    return db.read.all(`SELECT "status", COUNT(*) AS "count" FROM "jobs" GROUP BY "status"`);
}
/** Pending jobs over the filters whose runAt is ahead, by the reason their row gives (backoff, scheduled). */
export async function countDelayedPending(db, userId, filters, now) {
    const params = { now };
    const conditions = filterConditions(db.sql, userId, { ...filters, status: ["pending"] }, params);
    return db.read.all(`SELECT CASE WHEN "attempts" > 0 THEN 'backoff' ELSE 'scheduled' END AS "reason", COUNT(*) AS "count"
      FROM "jobs" WHERE ${conditions.join(" AND ")} AND "runAt" > @now GROUP BY 1`, params);
}
/**
 * Pending jobs over the filters that may start by their runAt, grouped by what their waitReason
 * depends on beyond the row: queue, type and key. Jobs of one group share their reason.
 */
export function groupRunnablePending(db, userId, filters, now) {
    const params = { now };
    const conditions = filterConditions(db.sql, userId, { ...filters, status: ["pending"] }, params);
    return db.read.all(`SELECT "queue", "type", "concurrencyKey", COUNT(*) AS "count"
      FROM "jobs" WHERE ${conditions.join(" AND ")} AND "runAt" <= @now
      GROUP BY "queue", "type", "concurrencyKey"`, params);
}
//# sourceMappingURL=job-stats.js.map