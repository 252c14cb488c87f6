import { EVENTS_PATH, JOB_EVENT, LOG_EVENT, type Job, type LogEventData } from "@jobdeck/contract";

/**
 * The kind of event GET /v1/events sends for §15's bulk-operation progress; its shape is §15's,
 * and moves to the contract with the routes that serve it.
 */
export const BULK_OPERATION_EVENT = "bulk-operation";
export { EVENTS_PATH, JOB_EVENT, LOG_EVENT };

/** A bulk operation as §15 shows it: the data of a `bulk-operation` event. */
export type BulkOperationEvent = {
  id: string;
  action: "cancel" | "retry" | "delete";
  status: "running" | "completed" | "cancelled" | "failed";
  matched: number;
  processed: number;
  succeeded: number;
  skipped: number;
  createdAt: string;
  finishedAt: string | null;
};

export type { Job, LogEventData };
