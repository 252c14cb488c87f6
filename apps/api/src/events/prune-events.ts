import type { Database } from "../db/database.js";

/** Deletes job events older than the retention period (EVENT_RETENTION_HOURS). */
export async function pruneEvents(db: Database, retentionMs: number, now = Date.now()): Promise<number> {
  const { count } = await db.prisma.jobEvent.deleteMany({
    where: { createdAt: { lt: new Date(now - retentionMs) } },
  });
  return count;
}
