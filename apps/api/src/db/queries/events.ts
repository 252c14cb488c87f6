import type { Database } from "../index.js";
import type { JobEventRow } from "../rows.js";

type Read = Pick<Database, "read">;

/** The id of the newest event, or 0 when there is none. */
export async function lastEventId(db: Read): Promise<number> {
  const [row] = await db.read.all<{ id: number }>(`SELECT "id" FROM "job_events" ORDER BY "id" DESC LIMIT 1`);
  return row?.id ?? 0;
}

/** Every user's events after `afterId`, oldest first. */
export function eventsAfter(db: Read, afterId: number, limit: number): Promise<JobEventRow[]> {
  return db.read.all<JobEventRow>(
    `SELECT "id", "userId", "data", "kind" FROM "job_events" WHERE "id" > @afterId ORDER BY "id" LIMIT @limit`,
    { afterId, limit },
  );
}

/** One user's events after `afterId`, oldest first (served by the (userId, id) index). */
export function userEventsAfter(
  db: Read,
  userId: string,
  afterId: number,
  limit: number,
): Promise<JobEventRow[]> {
  return db.read.all<JobEventRow>(
    `SELECT "id", "userId", "data", "kind" FROM "job_events" WHERE "userId" = @userId AND "id" > @afterId
      ORDER BY "id" LIMIT @limit`,
    { userId, afterId, limit },
  );
}

/** Deletes events older than `before` (EVENT_RETENTION_HOURS); returns how many. */
export async function deleteEventsBefore(db: Pick<Database, "writer">, before: Date): Promise<number> {
  const { count } = await db.writer.run(`DELETE FROM "job_events" WHERE "createdAt" < @before`, { before });
  return count;
}
