import { groupFailedJobs } from "../db/queries/failure-groups.js";
/**
 * The caller's failed jobs grouped by type and error code (a product addition beside §15, for the
 * dashboard's Failed view), with the list's filters: a `status` filter without `failed`, or any
 * `waitReason` (only pending jobs have one), leaves no failed job to group.
 */
export async function listFailureGroups({ db, userId, query, }) {
    if (query.status && !query.status.includes("failed"))
        return [];
    if (query.waitReason)
        return [];
    const rows = await groupFailedJobs(db, userId, query);
    return rows.map((row) => ({
        type: row.type,
        errorCode: row.errorCode,
        count: Number(row.count),
        latestAt: row.latestAt === null ? null : new Date(Number(row.latestAt)).toISOString(),
    }));
}
//# sourceMappingURL=list-failure-groups.js.map