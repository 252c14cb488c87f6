import type { Database } from "../db/index.js";
import type { JobStore } from "../db/job-store/index.js";
import type { JobTypeRegistry } from "../job-types/registry.js";

/** What the bulk operation functions need, passed explicitly. */
export type BulkOperationsDeps = {
  db: Database;
  /** Cancels and retries go through it, with the jobs' events. */
  store: JobStore;
  /** A retry is checked against its type as POST /v1/jobs/{id}/retry checks it. */
  registry: JobTypeRegistry;
  /** Signs and checks list cursors, as for the jobs list. */
  cursorKey: Buffer;
};
