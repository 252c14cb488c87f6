import { deleteEventsBefore } from "./db/queries/events.js";
import { deleteExpiredRateLimitCounters } from "./http/rate-limit.js";
import { deleteExpiredKeys } from "./idempotency/keys.js";
import { deleteOldQueueStarts } from "./db/job-store/queue-changes.js";
import { deleteOldScheduleDowntimes } from "./db/schedule-store/clock.js";
import { deleteOldScheduleFires } from "./db/schedule-store/index.js";
import { deleteOldWebhookHistory } from "./db/queries/webhooks.js";
import { deleteGoneWorkers } from "./worker/heartbeat.js";
import { startRetentionSweep } from "./retention/sweeper.js";
export function chores({ eventRetentionMs, webhookRetentionMs }) {
    return [
        { name: "expired idempotency keys", run: (db) => deleteExpiredKeys(db) },
        { name: "expired rate limit counters", run: (db) => deleteExpiredRateLimitCounters(db) },
        { name: "old job events", run: (db) => deleteEventsBefore(db, new Date(Date.now() - eventRetentionMs)) },
        { name: "queue starts older than the longest rate window", run: (db) => deleteOldQueueStarts(db) },
        { name: "workers gone for an hour", run: (db) => deleteGoneWorkers(db) },
        { name: "schedule fire records older than a day", run: (db) => deleteOldScheduleFires(db) },
        { name: "schedule downtimes older than 30 days", run: (db) => deleteOldScheduleDowntimes(db) },
        {
            name: "webhook deliveries and ended messages past their retention",
            run: (db) => deleteOldWebhookHistory(db, new Date(Date.now() - webhookRetentionMs)),
        },
    ];
}
/**
 * Deletes what has expired: at start, then once a minute. Every server and worker process does it;
 * the deletes are idempotent, so overlaps cost nothing. With `retentionSweepMs`, it also runs §15's
 * retention sweep (retention/sweeper.ts) at that interval.
 */
export function startHousekeeping({ db, logger, eventRetentionMs, webhookRetentionMs, intervalMs = 60_000, retentionSweepMs, }) {
    const sweep = retentionSweepMs === undefined
        ? undefined
        : startRetentionSweep({ db, logger, intervalMs: retentionSweepMs });
    const list = chores({ eventRetentionMs, webhookRetentionMs });
    const runAll = async () => {
        for (const chore of list) {
            try {
                const count = await chore.run(db);
                if (count > 0)
                    logger.info({ chore: chore.name, count }, "housekeeping deleted expired rows");
            }
            catch (error) {
                logger.warn({ err: error, chore: chore.name }, "housekeeping failed; will retry");
            }
        }
    };
    void runAll();
    const timer = setInterval(() => void runAll(), intervalMs);
    timer.unref();
    return {
        stop: () => {
            clearInterval(timer);
            sweep?.stop();
        },
    };
}
//# sourceMappingURL=housekeeping.js.map