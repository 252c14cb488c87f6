import { v7 as uuidv7 } from "uuid";
import { parseJson } from "../db/rows.js";
/**
 * The job a schedule makes for a fire time (or a trigger): its type, payload, queue and priority,
 * `runAt` = the fire time, `scheduleId` set. A type that is no longer registered (JOB_TYPES_MODULE
 * changed since the schedule was made) still gets its job, with a job type's usual defaults: it
 * waits as `no_worker` until a process runs the type, which the dashboard shows.
 */
export function scheduledJob(registry, schedule, runAt) {
    const definition = registry.get(schedule.type);
    return {
        id: uuidv7(),
        userId: schedule.userId,
        type: schedule.type,
        resultType: definition?.resultType ?? "json",
        payload: parseJson(schedule.payload),
        maxAttempts: definition?.maxAttempts ?? 3,
        timeoutMs: definition?.timeoutMs ?? 60_000,
        queue: schedule.queue,
        priority: schedule.priority,
        runAt: new Date(runAt),
        scheduleId: schedule.id,
    };
}
//# sourceMappingURL=scheduled-job.js.map