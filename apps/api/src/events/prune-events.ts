import type { Logger } from "pino";
import type { Database } from "../db/database.js";

const EVERY_MS = 10 * 60_000;

/** Deletes job events older than the retention period: now, then every ten minutes. */
export async function pruneEvents(db: Database, retentionMs: number, now = Date.now()): Promise<number> {
  const { count } = await db.prisma.jobEvent.deleteMany({
    where: { createdAt: { lt: new Date(now - retentionMs) } },
  });
  return count;
}

/** Every server and worker process prunes; the deletes are idempotent, so overlaps cost nothing. */
export function startEventPruning({
  db,
  retentionMs,
  logger,
}: {
  db: Database;
  retentionMs: number;
  logger: Logger;
}): () => void {
  const run = () => {
    pruneEvents(db, retentionMs).then(
      (count) => {
        if (count > 0) logger.info({ count }, "pruned old job events");
      },
      (error: unknown) => logger.warn({ err: error }, "could not prune job events"),
    );
  };
  run();
  const timer = setInterval(run, EVERY_MS).unref();
  return () => clearInterval(timer);
}
