import type { Logger } from "pino";
import type { Database } from "./db/database.js";
import { deleteExpiredRateLimitCounters } from "./http/rate-limit.js";
import { deleteExpiredIdempotencyKeys } from "./idempotency/run-idempotent.js";

export type Chore = { name: string; run(db: Database): Promise<number> };

export const chores: Chore[] = [
  { name: "expired idempotency keys", run: (db) => deleteExpiredIdempotencyKeys(db.prisma) },
  { name: "expired rate limit counters", run: (db) => deleteExpiredRateLimitCounters(db.prisma) },
];

/** Deletes what has expired, once a minute; every process may do it, the deletes are idempotent. */
export function startHousekeeping({
  db,
  logger,
  intervalMs = 60_000,
}: {
  db: Database;
  logger: Logger;
  intervalMs?: number;
}) {
  const runAll = async () => {
    for (const chore of chores) {
      try {
        const count = await chore.run(db);
        if (count > 0) logger.debug({ chore: chore.name, count }, "housekeeping");
      } catch (error) {
        logger.warn({ err: error, chore: chore.name }, "housekeeping failed; will retry");
      }
    }
  };
  const timer = setInterval(() => void runAll(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
