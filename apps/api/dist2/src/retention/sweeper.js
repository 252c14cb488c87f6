import { setTimeout as delay } from "node:timers/promises";
import { deleteExpiredJobs } from "../db/job-store/delete-jobs.js";
import { retentionsToSweep } from "../db/retention.js";
const DAY_MS = 86_400_000;
/** The longest rest between two batches. */
const PAUSE_MAX_MS = 1_000;
/** Settings read per statement while a sweep walks them. */
const SETTINGS_PAGE = 500;
const DAYS_OF = [
    ["completed", "completedDays"],
    ["failed", "failedDays"],
    ["cancelled", "cancelledDays"],
];
/**
 * One retention sweep (§15): for every user whose setting deletes anything, and every final status
 * with a number of days, deletes the jobs that finished more than that many days before `now`,
 * oldest first, with everything that belongs to them (db/job-store/delete-jobs.ts). Each batch is its
 * own short transaction (at most 500 jobs and 10,000 log lines), and the sweep rests between
 * batches as long as the last one took, so claims, settles, creates and reads queued meanwhile go
 * first. Returns how many jobs it deleted.
 */
export async function sweepRetention({ db, now = new Date(), onBatch, isStopped, }) {
    let deleted = 0;
    for (let after = "";;) {
        const settings = await retentionsToSweep(db, after, SETTINGS_PAGE);
        for (const setting of settings) {
            for (const [status, column] of DAYS_OF) {
                const days = setting[column];
                if (days === null)
                    continue;
                const before = new Date(now.getTime() - days * DAY_MS);
                for (let hasMore = true; hasMore;) {
                    if (isStopped?.())
                        return deleted;
                    const startedAt = performance.now();
                    const batch = await deleteExpiredJobs(db, { userId: setting.userId, status, before });
                    hasMore = batch.hasMore;
                    deleted += batch.deleted.length;
                    if (batch.deleted.length > 0)
                        onBatch?.({ userId: setting.userId, status, deleted: batch.deleted.length });
                    // Rest as long as the batch took: the sweep has the writer (and, on SQLite, whose
                    // statements run on the event loop, the process) at most half the time, so requests and
                    // workers queued meanwhile go first.
                    await delay(Math.min(performance.now() - startedAt, PAUSE_MAX_MS));
                }
            }
        }
        if (settings.length < SETTINGS_PAGE)
            return deleted;
        after = settings.at(-1).userId;
    }
}
/**
 * Sweeps at start, then `intervalMs` after each sweep ends (never two at once in a process). Every
 * process that runs housekeeping sweeps: the deletes are idempotent, and on PostgreSQL a sweep
 * skips the rows another process's sweep holds (SKIP LOCKED), so two processes share a backlog
 * instead of waiting for each other.
 */
export function startRetentionSweep({ db, logger, intervalMs, }) {
    let isStopped = false;
    let timer;
    const run = async () => {
        try {
            const startedAt = Date.now();
            const deleted = await sweepRetention({ db, isStopped: () => isStopped });
            if (deleted > 0)
                logger.info({ deleted, ms: Date.now() - startedAt }, "retention sweep deleted ended jobs");
        }
        catch (error) {
            logger.warn({ err: error }, "retention sweep failed; will retry");
        }
        if (!isStopped) {
            timer = setTimeout(() => void run(), intervalMs);
            timer.unref();
        }
    };
    timer = setTimeout(() => void run(), 0);
    timer.unref();
    return {
        stop: () => {
            isStopped = true;
            clearTimeout(timer);
        },
    };
}
//# sourceMappingURL=sweeper.js.map