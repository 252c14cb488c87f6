import { parseJson } from "../db/rows.js";
const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
/** The one mapping from a stored webhook to the API's Webhook: never its secret. */
export function toWebhook(row) {
    const filter = {};
    const types = parseJson(row.filterTypes);
    const queues = parseJson(row.filterQueues);
    if (types)
        filter.type = types;
    if (queues)
        filter.queue = queues;
    return {
        id: row.id,
        url: row.url,
        events: parseJson(row.events),
        filter,
        isEnabled: row.isEnabled,
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
    };
}
export function toDelivery(row) {
    return {
        id: row.id,
        eventType: row.eventType,
        jobId: row.jobId,
        webhookMessageId: row.messageId,
        attempt: row.attempt,
        statusCode: row.statusCode,
        durationMs: row.durationMs,
        error: parseJson(row.error),
        nextAttemptAt: iso(row.nextAttemptAt),
        createdAt: new Date(row.createdAt).toISOString(),
    };
}
//# sourceMappingURL=mapper.js.map