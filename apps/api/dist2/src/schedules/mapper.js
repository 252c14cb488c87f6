import { parseJson } from "../db/rows.js";
import { nextFireAfter } from "@jobdeck/contract/schedule-times";
const iso = (at) => (at === null ? null : new Date(at).toISOString());
/**
 * `nextRunAt` is the next fire time strictly after now (§12). The stored one is the next fire time
 * not yet decided: for the few milliseconds between a fire time and the pass that makes its job it
 * is already past, and the answer shows the one after now instead (the due one is still fired).
 */
function nextRunAtOf(row, now) {
    if (row.nextRunAt === null || row.nextRunAt > now)
        return row.nextRunAt;
    return nextFireAfter({ cron: row.cron, timezone: row.timezone }, now);
}
/** The one mapping from a stored schedule to the API's Schedule. */
export function toSchedule(row, now = Date.now()) {
    return {
        id: row.id,
        name: row.name,
        cron: row.cron,
        timezone: row.timezone,
        type: row.type,
        payload: parseJson(row.payload),
        queue: row.queue,
        priority: row.priority,
        overlap: row.overlap,
        catchUp: row.catchUp,
        isPaused: row.isPaused,
        nextRunAt: iso(nextRunAtOf(row, now)),
        lastRunAt: iso(row.lastRunAt),
        lastJobId: row.lastJobId,
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
    };
}
//# sourceMappingURL=mapper.js.map