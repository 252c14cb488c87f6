import type { Queue, RateLimit } from "@jobdeck/contract";
import type { QueueCounts } from "../db/queries/queues.js";
import type { QueueRow } from "../db/rows.js";

const rateLimitOf = (limit: number | null, periodMs: number | null): RateLimit | null =>
  limit === null || periodMs === null ? null : { limit, periodMs };

/** The one mapping from a stored queue and its job counts to the API's Queue. */
export function toQueue(row: QueueRow, counts: QueueCounts | undefined): Queue {
  return {
    name: row.name,
    isPaused: row.isPaused,
    concurrency: row.concurrency,
    perKeyConcurrency: row.perKeyConcurrency,
    rateLimit: rateLimitOf(row.rateLimit, row.ratePeriodMs),
    perKeyRateLimit: rateLimitOf(row.perKeyRateLimit, row.perKeyRatePeriodMs),
    counts: { pending: counts?.pending ?? 0, running: counts?.running ?? 0 },
    oldestPendingAt:
      counts?.oldestPendingAt === null || counts?.oldestPendingAt === undefined
        ? null
        : new Date(counts.oldestPendingAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
