import { v7 as uuidv7 } from "uuid";
import { selectOwnEndedJobsIn } from "../db/bulk-store/jobs.js";
import { deleteEndedJobsIn, jobsWithinLogLineBudget } from "../db/job-store/delete-jobs.js";
import { parseJson } from "../db/rows.js";
/**
 * What each action does to a chunk of jobs, inside the chunk's transaction. A job it cannot act on
 * is skipped: counted, left as it is.
 */
export function chunkActionFor(action, { sql, store, registry }) {
    switch (action) {
        // As POST /v1/jobs/{id}/cancel: pending jobs are cancelled now, running ones have their
        // cancellation requested (their handlers' AbortSignals fire); ended ones are skipped.
        case "cancel":
            return {
                act: async (tx, { userId, jobIds, now }) => {
                    const { cancelled, requested } = await store.cancelJobsIn(tx, { userId, ids: jobIds, now });
                    return { succeeded: cancelled.length + requested.length };
                },
            };
        // As POST /v1/jobs/{id}/retry: a new pending job per ended job, naming it in retryOf, all of the
        // chunk's in one INSERT. A job that has not ended, or whose type or payload is no longer
        // accepted, is skipped.
        case "retry":
            return {
                act: async (tx, { userId, jobIds, now }) => {
                    const originals = await selectOwnEndedJobsIn(tx, sql, { userId, ids: jobIds });
                    const jobs = originals.flatMap((original) => retryOf(registry, original) ?? []);
                    await store.insertJobsIn(tx, jobs, now);
                    return { succeeded: jobs.length };
                },
            };
        // The ended jobs with their artifacts, logs and events (the delete retention uses too); a
        // job that has not ended is skipped. A chunk stops at LOG_LINES_BATCH log lines, as a
        // retention batch does.
        case "delete":
            return {
                act: async (tx, { userId, jobIds }) => ({
                    succeeded: (await deleteEndedJobsIn(tx, sql, { userId, ids: jobIds })).length,
                }),
                fit: (tx, jobIds) => jobsWithinLogLineBudget(tx, sql, jobIds),
            };
    }
}
/** The new job a retry of `original` makes (retry-job.ts's rules), or undefined when it cannot be made. */
function retryOf(registry, original) {
    const definition = registry.get(original.type);
    if (!definition)
        return undefined;
    const payload = parseJson(original.payload);
    if (!definition.payloadSchema.safeParse(payload).success)
        return undefined;
    return {
        id: uuidv7(),
        userId: original.userId,
        type: definition.type,
        resultType: definition.resultType,
        payload,
        maxAttempts: definition.maxAttempts,
        timeoutMs: definition.timeoutMs,
        queue: original.queue,
        priority: original.priority,
        concurrencyKey: original.concurrencyKey,
        retryOf: original.id,
        tags: parseJson(original.tags),
        metadata: parseJson(original.metadata),
    };
}
//# sourceMappingURL=actions.js.map