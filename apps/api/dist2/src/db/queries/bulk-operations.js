/** One of a user's bulk operations; undefined for another user's or a missing one. */
export async function findBulkOperation(db, userId, id) {
    const [row] = await db.read.all(`SELECT * FROM "bulk_operations" WHERE "id" = @id AND "userId" = @userId`, { id, userId });
    return row;
}
/** Up to `limit` of a user's bulk operations, newest first, after a keyset position (createdAt, id). */
export function selectBulkOperationPage(db, { userId, after, limit, }) {
    return db.read.all(`SELECT * FROM "bulk_operations" WHERE "userId" = @userId${after === undefined ? "" : ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)`}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`, {
        userId,
        limit,
        ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    });
}
/**
 * How many of the jobs `conditions` select (on "jobs", parameters in `params`) were created at or
 * before `now`: what a bulk operation accepted now would match (its dry run).
 */
export async function countMatchingJobs(db, conditions, params, now) {
    const [row] = await db.read.all(`SELECT COUNT(*) AS "count" FROM "jobs" WHERE ${conditions.join(" AND ")} AND "createdAt" <= @acceptedAt`, { ...params, acceptedAt: now });
    return Number(row?.count ?? 0);
}
//# sourceMappingURL=bulk-operations.js.map