import { EVENTS_PATH, JOB_EVENT, type Job } from "@jobdeck/contract";

/**
 * The kinds of event GET /v1/events sends besides `job` and `ready` (in the contract): §14's log
 * lines and §15's bulk-operation progress. Their shapes are §14's and §15's; they move to the
 * contract with the routes that serve them.
 */
export const LOG_EVENT = "log";
export const BULK_OPERATION_EVENT = "bulk-operation";
export { EVENTS_PATH, JOB_EVENT };

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One line a job's handler (or the product) logged (§14): the data of a `log` event. */
export type JobLogLine = {
  jobId: string;
  seq: number;
  attempt: number;
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | null;
  at: string;
};

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

export type { Job };
