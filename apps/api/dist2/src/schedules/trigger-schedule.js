import { triggerSchedule as writeTrigger } from "../db/schedule-store/index.js";
import { presenterFor } from "../jobs/present-created.js";
import { parseScheduleId, scheduleNotFound } from "./schedule-id.js";
import { scheduledJob } from "./scheduled-job.js";
/**
 * Makes the schedule's job now (§12), also while paused: runAt = now, scheduleId set, and it becomes
 * the schedule's last job (lastRunAt = now, lastJobId), which overlap "skip" looks at. nextRunAt
 * does not move.
 */
export async function triggerSchedule({ db, store, registry, userId, scheduleId, }) {
    const id = parseScheduleId(scheduleId);
    const now = new Date();
    const row = await writeTrigger(db, store, {
        id,
        userId,
        now,
        jobOf: (schedule) => scheduledJob(registry, schedule, now.getTime()),
    });
    if (!row)
        throw scheduleNotFound();
    const present = await presenterFor({ db, prospect: { ...row, concurrencyKey: null } });
    return present(row);
}
//# sourceMappingURL=trigger-schedule.js.map