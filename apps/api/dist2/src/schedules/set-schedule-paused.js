import { findSchedule } from "../db/queries/schedules.js";
import { setSchedulePaused as writeSchedulePaused } from "../db/schedule-store/index.js";
import { nextRunAfter } from "./check-schedule.js";
import { toSchedule } from "./mapper.js";
import { parseScheduleId, scheduleNotFound } from "./schedule-id.js";
/**
 * Pause: once answered, the schedule makes no job until resumed (nextRunAt null). Resume: from the
 * first fire time after now; the times missed while paused are not caught up (§12). Both are
 * idempotent.
 */
export async function setSchedulePaused({ db, userId, scheduleId, isPaused, }) {
    const id = parseScheduleId(scheduleId);
    const now = new Date();
    let resumeNextRunAt = null;
    if (!isPaused) {
        const found = await findSchedule(db, userId, id);
        if (!found)
            throw scheduleNotFound();
        resumeNextRunAt = nextRunAfter(found, now);
    }
    const row = await writeSchedulePaused(db, { id, userId, isPaused, resumeNextRunAt, now });
    if (!row)
        throw scheduleNotFound();
    return toSchedule(row);
}
//# sourceMappingURL=set-schedule-paused.js.map