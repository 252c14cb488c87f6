import { replaceSchedule } from "../db/schedule-store/index.js";
import { checkScheduleBody, nextRunAfter } from "./check-schedule.js";
import { nameTaken } from "./create-schedule.js";
import { toSchedule } from "./mapper.js";
import { parseScheduleId, scheduleNotFound } from "./schedule-id.js";
/**
 * Replaces a schedule's settings with POST's body (§12): omitted optional fields take their
 * defaults, nextRunAt is computed again from now (null while paused), lastRunAt and lastJobId stay.
 */
export async function putSchedule({ db, registry, userId, scheduleId, body, }) {
    const id = parseScheduleId(scheduleId);
    const settings = checkScheduleBody(registry, body);
    const now = new Date();
    const result = await replaceSchedule(db, {
        id,
        userId,
        settings,
        nextRunAt: nextRunAfter(settings, now),
        now,
    });
    if (result.kind === "not-found")
        throw scheduleNotFound();
    if (result.kind === "name-taken")
        throw nameTaken(settings.name);
    return toSchedule(result.row);
}
//# sourceMappingURL=put-schedule.js.map