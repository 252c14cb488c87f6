import type { CatchUp, Overlap, Schedule } from "@jobdeck/contract";
import { parseJson, type ScheduleRow } from "../db/rows.js";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** The one mapping from a stored schedule to the API's Schedule. */
export function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    type: row.type,
    payload: parseJson(row.payload),
    queue: row.queue,
    priority: row.priority,
    overlap: row.overlap as Overlap,
    catchUp: row.catchUp as CatchUp,
    isPaused: row.isPaused,
    nextRunAt: iso(row.nextRunAt),
    lastRunAt: iso(row.lastRunAt),
    lastJobId: row.lastJobId,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
