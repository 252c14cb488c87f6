import type { Database } from "../db/index.js";

/** What the queues functions need, passed explicitly. */
export type QueuesDeps = {
  db: Database;
  /** Signs and checks list cursors, as for the jobs list. */
  cursorKey: Buffer;
};
