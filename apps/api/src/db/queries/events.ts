import type { Database } from "../index.js";
import type { JobEventRow } from "../rows.js";

type Read = Pick<Database, "read" | "sql">;

/** Event ids are 64-bit, beyond a JavaScript number's exact range: read as text, kept as bigint. */
type StoredEvent = Omit<JobEventRow, "id"> & { id: string | number };
// The text column keeps the name "id": ORDER BY and WHERE below name the table's column in full,
// as a bare "id" in ORDER BY would sort by the text.
const EVENT_COLUMNS = `CAST("job_events"."id" AS TEXT) AS "id", "userId", "data", "kind"`;
const toEvent = (row: StoredEvent): JobEventRow => ({ ...row, id: BigInt(row.id) });

/**
 * The transactions writing events now, or undefined where every committed id is final (SQLite's one
 * writer commits them in order). On PostgreSQL ids are taken without a lock and may commit out of
 * order; an id missing below a committed one is either still to come, from one of these, or gone
 * for good (a rolled-back write, a deleted event).
 */
export async function eventWriters(db: Read): Promise<Set<string> | undefined> {
  if (!db.sql.eventWritersSql) return undefined;
  const rows = await db.read.all<{ writer: string }>(db.sql.eventWritersSql);
  return new Set(rows.map((row) => row.writer));
}

/** The newest event's id, or 0 when there is none. */
export async function newestEventId(db: Read): Promise<bigint> {
  const [row] = await db.read.all<{ id: string }>(
    `SELECT CAST("job_events"."id" AS TEXT) AS "id" FROM "job_events" ORDER BY "job_events"."id" DESC LIMIT 1`,
  );
  return row ? BigInt(row.id) : 0n;
}

/** Every user's events after `afterId`, oldest first. */
export async function eventsAfter(db: Read, afterId: bigint, limit: number): Promise<JobEventRow[]> {
  const rows = await db.read.all<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM "job_events" WHERE "job_events"."id" > @afterId
      ORDER BY "job_events"."id" LIMIT @limit`,
    { afterId, limit },
  );
  return rows.map(toEvent);
}

/**
 * One user's events after `afterId` up to `untilId`, oldest first (served by the (userId, id) index).
 * `untilId` is a position the caller knows to be final (the feed's, when the stream subscribed).
 */
export async function userEventsAfter(
  db: Read,
  userId: string,
  afterId: bigint,
  untilId: bigint,
  limit: number,
): Promise<JobEventRow[]> {
  const rows = await db.read.all<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM "job_events" WHERE "userId" = @userId
      AND "job_events"."id" > @afterId AND "job_events"."id" <= @untilId ORDER BY "job_events"."id" LIMIT @limit`,
    { userId, afterId, untilId, limit },
  );
  return rows.map(toEvent);
}

/** Events one transaction of deleteEventsBefore deletes, at most. */
export const EVENT_DELETE_BATCH = 5_000;

/**
 * Deletes events older than `before` (EVENT_RETENTION_HOURS); returns how many. In transactions of
 * at most EVENT_DELETE_BATCH events, oldest first: a stream that finds an id missing waits for the
 * transactions writing job_events at that moment (a DELETE is one), so none may run for long.
 */
export async function deleteEventsBefore(db: Pick<Database, "writer">, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { count } = await db.writer.run(
      `DELETE FROM "job_events" WHERE "id" IN (SELECT "id" FROM "job_events" WHERE "createdAt" < @before
        ORDER BY "createdAt" LIMIT ${EVENT_DELETE_BATCH})`,
      { before },
    );
    total += count;
    if (count < EVENT_DELETE_BATCH) return total;
  }
}
