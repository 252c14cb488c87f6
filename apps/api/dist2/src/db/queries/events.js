// The text column keeps the name "id": ORDER BY and WHERE below name the table's column in full,
// as a bare "id" in ORDER BY would sort by the text.
const EVENT_COLUMNS = `CAST("job_events"."id" AS TEXT) AS "id", "userId", "data", "kind"`;
const toEvent = (row) => ({ ...row, id: BigInt(row.id) });
/**
 * The transactions writing events now, or undefined where every committed id is final (SQLite's one
 * writer commits them in order). On PostgreSQL ids are taken without a lock and may commit out of
 * order; an id missing below a committed one is either still to come, from one of these, or gone
 * for good (a rolled-back write, a deleted event).
 */
export async function eventWriters(db) {
    if (!db.sql.eventWritersSql)
        return undefined;
    const rows = await db.read.all(db.sql.eventWritersSql);
    return new Set(rows.map((row) => row.writer));
}
/** The newest event's id, or 0 when there is none. */
export async function newestEventId(db) {
    const [row] = await db.read.all(`SELECT CAST("job_events"."id" AS TEXT) AS "id" FROM "job_events" ORDER BY "job_events"."id" DESC LIMIT 1`);
    return row ? BigInt(row.id) : 0n;
}
/** Every user's events after `afterId`, oldest first. */
export async function eventsAfter(db, afterId, limit) {
    const rows = await db.read.all(`SELECT ${EVENT_COLUMNS} FROM "job_events" WHERE "job_events"."id" > @afterId
      ORDER BY "job_events"."id" LIMIT @limit`, { afterId, limit });
    return rows.map(toEvent);
}
/**
 * One user's events after `afterId` up to `untilId`, oldest first (served by the (userId, id) index).
 * `untilId` is a position the caller knows to be final (the feed's, when the stream subscribed).
 */
export async function userEventsAfter(db, userId, afterId, untilId, limit) {
    const rows = await db.read.all(`SELECT ${EVENT_COLUMNS} FROM "job_events" WHERE "userId" = @userId
      AND "job_events"."id" > @afterId AND "job_events"."id" <= @untilId ORDER BY "job_events"."id" LIMIT @limit`, { userId, afterId, untilId, limit });
    return rows.map(toEvent);
}
/** Deletes events older than `before` (EVENT_RETENTION_HOURS); returns how many. */
export async function deleteEventsBefore(db, before) {
    const { count } = await db.writer.run(`DELETE FROM "job_events" WHERE "createdAt" < @before`, { before });
    return count;
}
//# sourceMappingURL=events.js.map