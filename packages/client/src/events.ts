import {
  BULK_OPERATION_EVENT,
  EVENTS_PATH,
  JOB_EVENT,
  LOG_EVENT,
  type BulkOperation,
  type Job,
  type LogEventData,
} from "@jobdeck/contract";

/** The kinds of event GET /v1/events sends (besides `ready`), and what each carries. */
export { BULK_OPERATION_EVENT, EVENTS_PATH, JOB_EVENT, LOG_EVENT };
export type { BulkOperation, Job, LogEventData };
