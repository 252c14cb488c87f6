import { v7 as uuidv7 } from "uuid";
import type { NewJob } from "../db/job-store/index.js";
import { parseJson, type ScheduleRow } from "../db/rows.js";
import type { JobTypeRegistry } from "../job-types/registry.js";

/**
 * The job a schedule makes for a fire time (or a trigger): its type, payload, queue and priority,
 * `runAt` = the fire time, `scheduleId` set. A type that is no longer registered (JOB_TYPES_MODULE
 * changed since the schedule was made) still gets its job, with a job type's usual defaults: it
 * waits as `no_worker` until a process runs the type, which the dashboard shows.
 */
export function scheduledJob(registry: JobTypeRegistry, schedule: ScheduleRow, runAt: number): NewJob {
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
