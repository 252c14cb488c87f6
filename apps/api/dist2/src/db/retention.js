const COLUMNS = `"userId", "completedDays", "failedDays", "cancelledDays"`;
/** One user's row, or undefined when they never set one. */
export async function findRetention(db, userId) {
    const [row] = await db.read.all(`SELECT ${COLUMNS} FROM "retention_settings" WHERE "userId" = @userId`, { userId });
    return row;
}
/** Writes one user's setting (all three values), creating the row on the first PUT. */
export async function saveRetention(db, row, now) {
    const { rows } = await db.writer.run(`INSERT INTO "retention_settings" (${COLUMNS}, "createdAt", "updatedAt")
      VALUES (@userId, @completedDays, @failedDays, @cancelledDays, @now, @now)
      ON CONFLICT ("userId") DO UPDATE SET "completedDays" = excluded."completedDays",
        "failedDays" = excluded."failedDays", "cancelledDays" = excluded."cancelledDays", "updatedAt" = @now
      RETURNING ${COLUMNS}`, { ...row, now });
    return rows[0];
}
/**
 * The settings that delete anything (at least one status not kept forever), by userId, a page at a
 * time from `afterUserId`: what one retention sweep walks.
 */
export function retentionsToSweep(db, afterUserId, limit) {
    return db.read.all(`SELECT ${COLUMNS} FROM "retention_settings"
      WHERE "userId" > @afterUserId
        AND ("completedDays" IS NOT NULL OR "failedDays" IS NOT NULL OR "cancelledDays" IS NOT NULL)
      ORDER BY "userId" LIMIT @limit`, { afterUserId, limit });
}
//# sourceMappingURL=retention.js.map