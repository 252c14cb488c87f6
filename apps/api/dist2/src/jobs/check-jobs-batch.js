import { BATCH_JOBS_MAX, CreateJobBodySchema } from "@jobdeck/contract";
import { z } from "zod";
import { validationFailed } from "../errors.js";
import { zodDetails } from "../http/validation.js";
/**
 * A batch's items are checked as one create each (§6, §11) and, in one answer, every bad item is
 * named by its path (`jobs.3.payload.ms`, `jobs.7.type`): its shape, its dedupeKey (refused in a
 * batch), whether its type is known and whether the type's schema takes its payload.
 */
const EnvelopeSchema = z
    .object({
    jobs: z
        .array(z.unknown(), { required_error: "is required", invalid_type_error: "must be an array" })
        .min(1)
        .max(BATCH_JOBS_MAX),
})
    .strict();
const unknownType = (registry, index) => ({
    path: `jobs.${index}.type`,
    message: `is not a known job type; known types: ${registry.names().join(", ")}`,
});
/** What the type says of one item whose fields are not otherwise at fault: unknown, or a payload it refuses. */
function typeDetails(registry, index, item) {
    const definition = registry.get(item.type);
    if (!definition)
        return { definition, details: [unknownType(registry, index)] };
    const parsed = definition.payloadSchema.safeParse(item.payload);
    return {
        definition,
        details: parsed.success ? [] : zodDetails(parsed.error, ["jobs", index, "payload"]),
    };
}
const dedupeKeyDetail = (index) => ({
    path: `jobs.${index}.dedupeKey`,
    message: "is not accepted in a batch",
});
/**
 * The items of a body whose shape the contract accepted: each one's job type, in order; or a 400
 * naming every item whose type is unknown or whose payload its type refuses.
 */
export function resolveBatchTypes(registry, jobs) {
    const definitions = [];
    const details = [];
    for (const [index, job] of jobs.entries()) {
        if (job.dedupeKey !== undefined)
            details.push(dedupeKeyDetail(index));
        const checked = typeDetails(registry, index, { type: job.type, payload: job.payload });
        if (checked.definition)
            definitions.push(checked.definition);
        details.push(...checked.details);
    }
    if (details.length > 0)
        throw validationFailed(details);
    return definitions;
}
/**
 * Every problem of a body the contract refused: the envelope's, then each item's, in order. Items
 * are checked only within 1–1,000 of them; an item whose shape is refused is still checked against
 * its type when its `type` and `payload` fields are not themselves at fault.
 */
export function batchBodyDetails(registry, body) {
    const envelope = EnvelopeSchema.safeParse(body);
    if (!envelope.success)
        return zodDetails(envelope.error);
    const details = [];
    for (const [index, item] of envelope.data.jobs.entries()) {
        const parsed = CreateJobBodySchema.safeParse(item);
        if (!parsed.success)
            details.push(...zodDetails(parsed.error, ["jobs", index]));
        const faulted = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path[0]));
        const fields = item;
        if (typeof fields === "object" && fields !== null && !Array.isArray(fields)) {
            if (fields.dedupeKey !== undefined && !faulted.has("dedupeKey"))
                details.push(dedupeKeyDetail(index));
            if (typeof fields.type === "string" && !faulted.has("type")) {
                const checked = typeDetails(registry, index, { type: fields.type, payload: fields.payload });
                if (checked.definition === undefined || !faulted.has("payload"))
                    details.push(...checked.details);
            }
        }
    }
    return details;
}
//# sourceMappingURL=check-jobs-batch.js.map