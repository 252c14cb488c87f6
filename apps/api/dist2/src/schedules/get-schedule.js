import { findSchedule } from "../db/queries/schedules.js";
import { toSchedule } from "./mapper.js";
import { parseScheduleId, scheduleNotFound } from "./schedule-id.js";
/** One of the caller's schedules; another user's, a missing one and a malformed id are the same 404. */
export async function getSchedule({ db, userId, scheduleId, }) {
    const row = await findSchedule(db, userId, parseScheduleId(scheduleId));
    if (!row)
        throw scheduleNotFound();
    return toSchedule(row);
}
//# sourceMappingURL=get-schedule.js.map