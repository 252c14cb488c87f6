import { nextScheduleDueAt } from "../db/queries/schedules.js";
import { fireDueSchedules, tickScheduleClock } from "../db/schedule-store/index.js";
import { planFires } from "./plan-fires.js";
import { scheduledJob } from "./scheduled-job.js";
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * The firing loop of one process (§12). Every process with WORKER_CONCURRENCY > 0 runs one; they
 * share the work through the database (db/schedule-store/fire.ts): a pass takes the schedules whose
 * nextRunAt has come, in batches, and makes their jobs. A pass runs when a timer set for the
 * earliest nextRunAt goes off, so a fire time's job is made at once rather than at the next poll;
 * the timer is set again after every pass, every `pollMs`, and whenever a schedule changes (the
 * `schedules` signal, which on PostgreSQL comes from other processes too).
 */
export function createScheduler({ db, store, registry, logger, batchSize = 500, pollMs = 1_000, tickMs = 1_000, downtimeGapMs = 3_000, }) {
    let isStopped = true;
    let dueTimer;
    let pollTimer;
    let tickTimer;
    let unsubscribe;
    let running;
    let isAgain = false;
    let started;
    const plan = (input) => planFires({ ...input, jobOf: (schedule, fireAt) => scheduledJob(registry, schedule, fireAt) });
    /** Sets the timer for the earliest nextRunAt. */
    const arm = async () => {
        if (isStopped)
            return;
        const next = await nextScheduleDueAt(db);
        if (isStopped)
            return;
        clearTimeout(dueTimer);
        dueTimer =
            next === null ? undefined : setTimeout(fire, Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())));
    };
    const armQuietly = () => {
        arm().catch((error) => logger.warn({ err: error }, "could not read the next schedule fire time"));
    };
    /** Passes until none is full, then the timer for what comes next. */
    const passes = async () => {
        do {
            isAgain = false;
            try {
                for (;;) {
                    const { taken, jobs, fired } = await fireDueSchedules(db, store, {
                        now: new Date(),
                        limit: batchSize,
                        plan,
                    });
                    if (taken > 0)
                        logger.debug({ schedules: taken, jobs: jobs.length, dropped: fired.length - jobs.length }, "fired schedules");
                    if (taken < batchSize || isStopped)
                        break;
                }
                await arm();
            }
            catch (error) {
                logger.warn({ err: error }, "a schedule firing pass failed; trying again at the next poll");
            }
        } while (isAgain && !isStopped);
    };
    function fire() {
        if (isStopped)
            return;
        if (running) {
            isAgain = true;
            return;
        }
        running = passes().finally(() => {
            running = undefined;
        });
    }
    const tick = (isFirstTick) => tickScheduleClock(db, { now: new Date(), isFirstTick, gapMs: downtimeGapMs }).then(({ downtime }) => {
        if (downtime)
            logger.info({ from: new Date(downtime.fromAt).toISOString(), to: new Date(downtime.toAt).toISOString() }, "no process ran schedules for a while: fire times in between were missed (catchUp applies)");
    });
    return {
        start: () => {
            if (!isStopped)
                return;
            isStopped = false;
            // The first tick records any downtime before the first pass decides what was missed.
            started = (async () => {
                for (;;) {
                    try {
                        await tick(true);
                        break;
                    }
                    catch (error) {
                        logger.warn({ err: error }, "could not write the schedule clock; trying again");
                        await new Promise((resolve) => setTimeout(resolve, pollMs));
                        if (isStopped)
                            return;
                    }
                }
                if (isStopped)
                    return;
                unsubscribe = db.signals.on("schedules", armQuietly);
                tickTimer = setInterval(() => {
                    tick(false).catch((error) => logger.warn({ err: error }, "could not write the schedule clock"));
                }, tickMs);
                pollTimer = setInterval(armQuietly, pollMs);
                fire();
            })();
        },
        stop: async () => {
            if (isStopped)
                return;
            isStopped = true;
            clearTimeout(dueTimer);
            clearInterval(pollTimer);
            clearInterval(tickTimer);
            unsubscribe?.();
            await started;
            await running;
            // The clock says when this process stopped: a fire time before then that it had not fired yet
            // was due while it ran, so the next process fires it rather than counting it as missed.
            await tick(false).catch((error) => logger.warn({ err: error }, "could not write the schedule clock"));
        },
    };
}
//# sourceMappingURL=scheduler.js.map