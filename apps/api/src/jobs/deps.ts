import type { Database } from "../db/database.js";
import type { JobTypeRegistry } from "../job-types/registry.js";

/** What the jobs functions need, passed explicitly. */
export type JobsDeps = {
  db: Database;
  registry: JobTypeRegistry;
  /** Signs and checks list cursors; the same for every process on a database. */
  cursorKey: Buffer;
};
