import { v7 as uuidv7 } from "uuid";
import { insertSchedule } from "../db/schedule-store/index.js";
import { AppError } from "../errors.js";
import { checkScheduleBody, nextRunAfter } from "./check-schedule.js";
import { toSchedule } from "./mapper.js";
export const nameTaken = (name) => new AppError("CONFLICT", `A schedule named ${JSON.stringify(name)} already exists`, {
    details: [{ path: "name", message: "is taken by another of your schedules" }],
});
/** Stores a schedule, running, with its first fire time after now (§12); 409 for a name the owner has. */
export async function createSchedule({ db, registry, userId, body, }) {
    const settings = checkScheduleBody(registry, body);
    const now = new Date();
    const row = await insertSchedule(db, {
        id: uuidv7(),
        userId,
        settings,
        nextRunAt: nextRunAfter(settings, now),
        now,
    });
    if (!row)
        throw nameTaken(settings.name);
    return toSchedule(row);
}
//# sourceMappingURL=create-schedule.js.map