import type { Logger } from "pino";
import type { JobStore } from "./db/job-store/index.js";
import { pruneEvents } from "./events/prune-events.js";
import { deleteExpiredRateLimitCounters } from "./http/rate-limit.js";
import { deleteExpiredIdempotencyKeys } from "./idempotency/run-idempotent.js";

export type Chore = { name: string; run(store: JobStore): Promise<number> };

export function chores({ eventRetentionMs }: { eventRetentionMs: number }): Chore[] {
  return [
    { name: "expired idempotency keys", run: (store) => deleteExpiredIdempotencyKeys(store) },
    { name: "expired rate limit counters", run: (store) => deleteExpiredRateLimitCounters(store) },
    { name: "old job events", run: (store) => pruneEvents(store, eventRetentionMs) },
  ];
}

/**
 * Deletes what has expired: at start, then once a minute. Every server and worker process does it;
 * the deletes are idempotent, so overlaps cost nothing.
 */
export function startHousekeeping({
  store,
  logger,
  eventRetentionMs,
  intervalMs = 60_000,
}: {
  store: JobStore;
  logger: Logger;
  eventRetentionMs: number;
  intervalMs?: number;
}): { stop(): void } {
  const list = chores({ eventRetentionMs });
  const runAll = async () => {
    for (const chore of list) {
      try {
        const count = await chore.run(store);
        if (count > 0) logger.info({ chore: chore.name, count }, "housekeeping deleted expired rows");
      } catch (error) {
        logger.warn({ err: error, chore: chore.name }, "housekeeping failed; will retry");
      }
    }
  };
  void runAll();
  const timer = setInterval(() => void runAll(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
