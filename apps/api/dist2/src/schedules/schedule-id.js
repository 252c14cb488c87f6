import { AppError } from "../errors.js";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const scheduleNotFound = () => new AppError("NOT_FOUND", "Schedule not found");
/** A schedule id as stored, or the same 404 a missing or another user's schedule gets. */
export function parseScheduleId(raw) {
    if (!UUID.test(raw))
        throw scheduleNotFound();
    return raw.toLowerCase();
}
//# sourceMappingURL=schedule-id.js.map