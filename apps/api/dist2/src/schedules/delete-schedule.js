import { deleteSchedule as removeSchedule } from "../db/schedule-store/index.js";
import { parseScheduleId, scheduleNotFound } from "./schedule-id.js";
/** Deletes one of the caller's schedules (§12); the jobs it made keep their scheduleId. */
export async function deleteSchedule({ db, userId, scheduleId, }) {
    if (!(await removeSchedule(db, { id: parseScheduleId(scheduleId), userId })))
        throw scheduleNotFound();
}
//# sourceMappingURL=delete-schedule.js.map