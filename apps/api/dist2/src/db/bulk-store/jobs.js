/**
 * Which of `ids` are the user's jobs that have ended, read inside a chunk's transaction (locked to
 * its end on PostgreSQL, so that a retention sweep cannot delete one while it is retried).
 */
export async function selectOwnEndedJobsIn(tx, sql, { userId, ids }) {
    const rows = await tx.all(`SELECT * FROM "jobs" WHERE ${sql.inArray(`"id"`, "ids")} AND "userId" = @userId
      AND "status" IN ('completed', 'failed', 'cancelled') ${sql.forUpdate}`, { ids: [...ids], userId });
    return rows;
}
//# sourceMappingURL=jobs.js.map