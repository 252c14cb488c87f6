import type { Database } from "../db/index.js";
import type { JobStore } from "../db/job-store/index.js";
import type { JobTypeRegistry } from "../job-types/registry.js";

/** What the schedules functions need, passed explicitly. */
export type SchedulesDeps = {
  db: Database;
  /** Makes a trigger's job, with its event, like any create. */
  store: JobStore;
  registry: JobTypeRegistry;
  /** Signs and checks list cursors, as for the jobs list. */
  cursorKey: Buffer;
};
