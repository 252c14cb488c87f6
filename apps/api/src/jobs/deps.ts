import type { Database } from "../db/index.js";
import type { JobStore } from "../db/job-store/index.js";
import type { JobTypeRegistry } from "../job-types/registry.js";

/** What the jobs functions need, passed explicitly. */
export type JobsDeps = {
  /** Reads (db.read) and the process's signals. */
  db: Database;
  /** Every write that changes a job goes through it, with the job's event. */
  store: JobStore;
  registry: JobTypeRegistry;
  /** Signs and checks list cursors; the same for every process on a database. */
  cursorKey: Buffer;
};
