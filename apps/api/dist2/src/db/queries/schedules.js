/** Rows as both databases give them: SQLite's 0/1 as a boolean. */
export const asScheduleRow = (row) => ({
    ...row,
    isPaused: Boolean(row.isPaused),
});
/** One of a user's schedules; undefined for another user's or a missing one. */
export async function findSchedule(db, userId, id) {
    const [row] = await db.read.all(`SELECT * FROM "schedules" WHERE "id" = @id AND "userId" = @userId`, {
        id,
        userId,
    });
    return row && asScheduleRow(row);
}
/** Up to `limit` of a user's schedules, newest first, after a keyset position (createdAt, id). */
export async function selectSchedulePage(db, { userId, after, limit, }) {
    const rows = await db.read.all(`SELECT * FROM "schedules" WHERE "userId" = @userId${after === undefined ? "" : ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)`}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`, {
        userId,
        limit,
        ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    });
    return rows.map(asScheduleRow);
}
/** The earliest nextRunAt of any schedule (paused ones have none), from the nextRunAt index. */
export async function nextScheduleDueAt(db) {
    const [row] = await db.read.all(`SELECT MIN("nextRunAt") AS "at" FROM "schedules" WHERE "nextRunAt" IS NOT NULL`);
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
//# sourceMappingURL=schedules.js.map