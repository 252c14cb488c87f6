export {
  createClient,
  type ClientOptions,
  type JobdeckClient,
  type JobFiltersInput,
  type Routes,
} from "./create-client.js";
export type { ExportFiltersInput, ExportOptions } from "./export-jobs.js";
export { JobdeckError, isJobdeckError, type JobdeckErrorCode, type JobdeckErrorInit } from "./errors.js";
export { BULK_OPERATION_EVENT, EVENTS_PATH, JOB_EVENT, LOG_EVENT } from "./events.js";
export { newIdempotencyKey, type TokenSource } from "./fetcher.js";
export type { IterateOptions } from "./iterate-jobs.js";
export { DEFAULT_RETRY, type RetryOptions } from "./retry-policy.js";
export { SseParser, type ServerSentEvent } from "./sse-parser.js";
export type { EventContext, SubscribeOptions, Subscription } from "./subscribe-events.js";
export {
  verifyWebhook,
  type VerifyOptions,
  type WebhookHeaders,
  type WebhookMessage,
} from "./verify-webhook.js";
export type { WaitForOptions } from "./wait-for-job.js";
export type * from "@jobdeck/contract";
