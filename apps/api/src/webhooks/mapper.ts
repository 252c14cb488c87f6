import type { Webhook, WebhookDelivery, WebhookEvent, WebhookFilter, JobError } from "@jobdeck/contract";
import { parseJson } from "../db/rows.js";
import type { WebhookDeliveryRow, WebhookRow } from "../db/queries/webhooks.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The one mapping from a stored webhook to the API's Webhook: never its secret. */
export function toWebhook(row: WebhookRow): Webhook {
  const filter: WebhookFilter = {};
  const types = parseJson(row.filterTypes) as string[] | null;
  const queues = parseJson(row.filterQueues) as string[] | null;
  if (types) filter.type = types;
  if (queues) filter.queue = queues;
  return {
    id: row.id,
    url: row.url,
    events: parseJson(row.events) as WebhookEvent[],
    filter,
    isEnabled: row.isEnabled,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventType: row.eventType,
    jobId: row.jobId,
    webhookMessageId: row.messageId,
    attempt: row.attempt,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    error: parseJson(row.error) as JobError | null,
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
