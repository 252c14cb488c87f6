import type { Database } from "../index.js";
import type { JobEventRow } from "../rows.js";

type Read = Pick<Database, "read" | "sql">;

/**
 * Event ids are 64-bit (on PostgreSQL, a transaction's id shifted left by 20 bits plus the event's
 * place in it), beyond a JavaScript number's exact range: they are read as text and kept as bigint.
 */
type StoredEvent = Omit<JobEventRow, "id"> & { id: string | number };
// The text column keeps the name "id": ORDER BY and WHERE below name the table's column in full,
// as a bare "id" in ORDER BY would sort by the text.
const EVENT_COLUMNS = `CAST("job_events"."id" AS TEXT) AS "id", "userId", "data", "kind"`;
const toEvent = (row: StoredEvent): JobEventRow => ({ ...row, id: BigInt(row.id) });

/**
 * Ids below the returned one are final: no event with a smaller id can commit later. Undefined where
 * every id is final once committed (SQLite's one writer commits them in order).
 */
export async function eventHorizon(db: Read): Promise<bigint | undefined> {
  if (!db.sql.eventHorizonSql) return undefined;
  const [row] = await db.read.all<{ below: string }>(db.sql.eventHorizonSql);
  return BigInt(row!.below);
}

/**
 * Where a reader that starts now stands: every event after it is still to come (or committed but not
 * yet final), every one up to it can be replayed. The newest event's id, or 0 when there is none;
 * on PostgreSQL, just below the horizon.
 */
export async function lastEventId(db: Read): Promise<bigint> {
  const below = await eventHorizon(db);
  if (below !== undefined) return below - 1n;
  const [row] = await db.read.all<{ id: string }>(
    `SELECT CAST("job_events"."id" AS TEXT) AS "id" FROM "job_events" ORDER BY "job_events"."id" DESC LIMIT 1`,
  );
  return row ? BigInt(row.id) : 0n;
}

/**
 * Every user's events after `afterId`, oldest first, and whether one that committed had to be left
 * for later: it lies beyond the horizon (a transaction with a smaller id may still commit events
 * before it), so the caller should read again soon.
 */
export async function eventsAfter(
  db: Read,
  afterId: bigint,
  limit: number,
): Promise<{ events: JobEventRow[]; isHeldBack: boolean }> {
  const below = await eventHorizon(db);
  const rows = await db.read.all<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM "job_events" WHERE "job_events"."id" > @afterId
      ORDER BY "job_events"."id" LIMIT @limit`,
    { afterId, limit },
  );
  const events = rows.map(toEvent);
  const final = below === undefined ? events : events.filter((event) => event.id < below);
  return { events: final, isHeldBack: final.length < events.length };
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

/** Deletes events older than `before` (EVENT_RETENTION_HOURS); returns how many. */
export async function deleteEventsBefore(db: Pick<Database, "writer">, before: Date): Promise<number> {
  const { count } = await db.writer.run(`DELETE FROM "job_events" WHERE "createdAt" < @before`, { before });
  return count;
}
