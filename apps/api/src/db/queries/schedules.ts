import type { Database, Row } from "../index.js";
import type { ScheduleRow } from "../rows.js";

type Read = Pick<Database, "read">;

/** Rows as both databases give them: SQLite's 0/1 as a boolean. */
export const asScheduleRow = (row: Row): ScheduleRow => ({
  ...(row as ScheduleRow),
  isPaused: Boolean(row.isPaused),
});

/** One of a user's schedules; undefined for another user's or a missing one. */
export async function findSchedule(db: Read, userId: string, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.read.all(`SELECT * FROM "schedules" WHERE "id" = @id AND "userId" = @userId`, {
    id,
    userId,
  });
  return row && asScheduleRow(row);
}

/** Up to `limit` of a user's schedules, newest first, after a keyset position (createdAt, id). */
export async function selectSchedulePage(
  db: Read,
  {
    userId,
    after,
    limit,
  }: { userId: string; after: { createdAt: number; id: string } | undefined; limit: number },
): Promise<ScheduleRow[]> {
  const rows = await db.read.all(
    `SELECT * FROM "schedules" WHERE "userId" = @userId${
      after === undefined ? "" : ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)`
    }
      ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`,
    {
      userId,
      limit,
      ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    },
  );
  return rows.map(asScheduleRow);
}

/** The earliest nextRunAt of any schedule (paused ones have none), from the nextRunAt index. */
export async function nextScheduleDueAt(db: Read): Promise<number | null> {
  const [row] = await db.read.all<{ at: number | null }>(
    `SELECT MIN("nextRunAt") AS "at" FROM "schedules" WHERE "nextRunAt" IS NOT NULL`,
  );
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
