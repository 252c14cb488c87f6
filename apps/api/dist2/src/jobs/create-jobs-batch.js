import { DEFAULT_QUEUE } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import { resolveBatchTypes } from "./check-jobs-batch.js";
import { runAtOf } from "./create-job.js";
import { presenterForMany } from "./present-created.js";
/**
 * Creates a batch's jobs (§12): all of them or none, in one transaction, in the order sent, each
 * as a single create would make it (§6, §11) and carrying the batch's id. Every item whose type is
 * unknown or whose payload its type refuses is named in one 400; nothing is written on any 4xx.
 */
export async function createJobsBatch({ db, store, registry, userId, jobs, remember, }) {
    const definitions = resolveBatchTypes(registry, jobs);
    const batchId = uuidv7();
    const now = new Date();
    const newJobs = jobs.map((body, index) => {
        const definition = definitions[index];
        return {
            id: uuidv7(),
            userId,
            type: definition.type,
            resultType: definition.resultType,
            payload: body.payload,
            maxAttempts: definition.maxAttempts,
            timeoutMs: definition.timeoutMs,
            queue: body.queue ?? DEFAULT_QUEUE,
            priority: body.priority ?? 0,
            runAt: runAtOf(body, now.getTime()),
            concurrencyKey: body.concurrencyKey ?? null,
            batchId,
            tags: body.tags ?? null,
            metadata: body.metadata ?? null,
        };
    });
    const presentJob = await presenterForMany({ db, prospects: newJobs });
    // Shown once: the stored answer (inside the transaction) and the one sent are the same object.
    let shown;
    const present = (rows) => (shown ??= { batchId, jobs: rows.map(presentJob) });
    return present(await store.insertJobs(newJobs, now, remember?.(present)));
}
/** The answer's message: how many jobs the batch made. */
export const batchMessage = (jobs) => `${jobs.length} ${jobs.length === 1 ? "job" : "jobs"} created in a batch`;
//# sourceMappingURL=create-jobs-batch.js.map