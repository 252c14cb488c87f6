import { latestFireIn, nextFireAfter } from "@jobdeck/contract/schedule-times";
/** Fire times one pass decides for one schedule at most; the rest wait for the next pass. */
export const MAX_FIRES_PER_PASS = 50;
/**
 * What a due schedule comes to (§12), as a pure function of what the pass read: its fire times
 * from nextRunAt up to now, each a job, except
 * - fire times inside a downtime (no process ran schedules then) were missed: catchUp "latest"
 *   makes one job for the latest of them, "none" none;
 * - with overlap "skip", a fire time while the schedule's last job (or the job this pass just made)
 *   is pending or running is dropped: recorded, no job.
 * Then nextRunAt is the first fire time after the last one decided.
 */
export function planFires({ schedule, isLastJobActive, downtimes, now, jobOf, }) {
    const rule = { cron: schedule.cron, timezone: schedule.timezone };
    const fires = [];
    let isActive = isLastJobActive;
    const decide = (fireAt) => {
        if (schedule.overlap === "skip" && isActive) {
            fires.push({ fireAt, job: null });
            return;
        }
        fires.push({ fireAt, job: jobOf(schedule, fireAt) });
        isActive = true;
    };
    let at = schedule.nextRunAt;
    while (at !== null && at <= now && fires.length < MAX_FIRES_PER_PASS) {
        const fireAt = at;
        const downtime = downtimes.find((d) => d.fromAt < fireAt && fireAt < d.toAt);
        if (!downtime) {
            decide(fireAt);
            at = nextFireAfter(rule, fireAt);
            continue;
        }
        if (schedule.catchUp === "latest") {
            const latest = latestFireIn(rule, fireAt, downtime.toAt);
            if (latest !== null)
                decide(latest);
        }
        at = nextFireAfter(rule, downtime.toAt - 1);
    }
    return { nextRunAt: at, fires };
}
//# sourceMappingURL=plan-fires.js.map