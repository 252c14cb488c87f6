import { isEnded } from "@jobdeck/contract";
import { v7 as uuidv7 } from "uuid";
import { findJob } from "../db/queries/jobs.js";
import { parseJson } from "../db/rows.js";
import { AppError, notFound, validationFailed } from "../errors.js";
import { zodDetails } from "../http/validation.js";
import { parseJobId } from "./job-id.js";
import { presenterFor } from "./present-created.js";
/**
 * A new pending job with the original's type and payload (docs/api.md §9); the original stays as it
 * was. `changes` (§15, retry with changes) replaces the payload, queue, priority, runAt, tags or
 * metadata it names; the rest are the original's, and runAt is now unless given. 409 while the
 * original has not ended, or when its type or kept payload is no longer accepted (a type from a
 * JOB_TYPES_MODULE that is not loaded any more); 400 when a changed payload is not the type's.
 * Nothing is written then.
 */
export async function retryJob({ db, store, registry, userId, jobId, changes = {}, remember, }) {
    const original = await findJob(db, { id: parseJobId(jobId), userId });
    if (!original)
        throw notFound();
    if (!isEnded(original.status)) {
        throw new AppError("CONFLICT", `Job is still ${original.status}; only completed, failed or cancelled jobs can be retried`);
    }
    const definition = registry.get(original.type);
    if (!definition) {
        throw new AppError("CONFLICT", `Job type ${original.type} is not registered any more`);
    }
    const payload = changes.payload !== undefined ? changes.payload : parseJson(original.payload);
    const parsed = definition.payloadSchema.safeParse(payload);
    if (!parsed.success) {
        if (changes.payload !== undefined)
            throw validationFailed(zodDetails(parsed.error, ["payload"]));
        throw new AppError("CONFLICT", `The job's payload is no longer valid for type ${original.type}`);
    }
    const id = uuidv7();
    const now = new Date();
    const queue = changes.queue ?? original.queue;
    const { concurrencyKey } = original;
    const present = await presenterFor({
        db,
        prospect: { id, userId, type: original.type, queue, concurrencyKey },
    });
    const row = await store.insertJob({
        id,
        userId,
        type: definition.type,
        resultType: definition.resultType,
        payload,
        maxAttempts: definition.maxAttempts,
        timeoutMs: definition.timeoutMs,
        // It waits where the original did, in the same order and under the same key's limits,
        // unless the retry changes them.
        queue,
        priority: changes.priority ?? original.priority,
        runAt: changes.runAt === undefined ? now : new Date(Math.max(now.getTime(), Date.parse(changes.runAt))),
        concurrencyKey,
        // §15: it names the original, and carries its tags and metadata unless given others.
        retryOf: original.id,
        tags: changes.tags ?? parseJson(original.tags),
        metadata: changes.metadata ?? parseJson(original.metadata),
    }, now, remember?.(present));
    return present(row);
}
//# sourceMappingURL=retry-job.js.map