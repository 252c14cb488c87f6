import { initContract } from "@ts-rest/core";
import { jobsContract } from "./jobs.js";
import { queuesContract } from "./queues.js";
import { webhooksContract } from "./webhooks.js";
import { schedulesContract } from "./schedules.js";
import { bulkOperationsContract } from "./bulk-operations.js";
import { attemptsContract } from "./attempts.js";
import { retentionContract } from "./retention.js";

export * from "./common.js";
export * from "./jobs.js";
export * from "./flow.js";
export * from "./labels.js";
export * from "./filters.js";
export * from "./queues.js";
export * from "./webhooks.js";
export * from "./schedules.js";
export * from "./bulk-operations.js";
export * from "./attempts.js";
export * from "./retention.js";

const c = initContract();

/** Every route of the public API. The server implements it, the dashboard consumes it, and the
 * OpenAPI document is generated from it. */
export const contract = c.router({
  jobs: jobsContract,
  queues: queuesContract,
  schedules: schedulesContract,
  webhooks: webhooksContract,
  bulkOperations: bulkOperationsContract,
  attempts: attemptsContract,
  retention: retentionContract,
});
export type Contract = typeof contract;
