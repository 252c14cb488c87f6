import type { JobStore } from "../db/job-store/index.js";

/** Deletes job events older than the retention period (EVENT_RETENTION_HOURS). */
export async function pruneEvents(store: JobStore, retentionMs: number, now = Date.now()): Promise<number> {
  const { count } = await store.write(`DELETE FROM "job_events" WHERE "createdAt" < @before`, {
    before: new Date(now - retentionMs),
  });
  return count;
}
