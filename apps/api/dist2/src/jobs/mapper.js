import { parseJson } from "../db/rows.js";
const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
/**
 * Why a pending job waits as far as its row alone tells: a backoff or a later runAt, else `queued`.
 * Reads that can look further (its queue, its key, the live workers) pass a better reason to toJob
 * (jobs/wait-reasons.ts); events carry this one.
 */
export function rowWaitReason(row, now) {
    if (row.status !== "pending")
        return null;
    if (row.runAt > now)
        return row.attempts > 0 ? "backoff" : "scheduled";
    return "queued";
}
/** The one mapping from a stored job to the API's Job: no lease or scheduling internals. */
export function toJob(row, waitReason = rowWaitReason(row, Date.now())) {
    return {
        id: row.id,
        type: row.type,
        status: row.status,
        resultType: row.resultType,
        payload: parseJson(row.payload),
        result: parseJson(row.result),
        error: parseJson(row.error),
        attempts: row.attempts,
        maxAttempts: row.maxAttempts,
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
        startedAt: iso(row.startedAt),
        finishedAt: iso(row.finishedAt),
        queue: row.queue,
        priority: row.priority,
        runAt: new Date(row.runAt).toISOString(),
        concurrencyKey: row.concurrencyKey,
        dedupeKey: row.dedupeKey,
        waitReason: row.status === "pending" ? waitReason : null,
        scheduleId: row.scheduleId,
        batchId: row.batchId,
        retryOf: row.retryOf,
        progress: parseJson(row.progress),
        tags: row.tags === null ? [] : parseJson(row.tags),
        metadata: row.metadata === null ? {} : parseJson(row.metadata),
    };
}
/** What a change's event carries (GET /v1/events): the job as GET /v1/jobs/{id} shows it, as JSON. */
export const jobEventData = (row) => JSON.stringify(toJob(row));
//# sourceMappingURL=mapper.js.map