import { JOB_STATUSES } from "@jobdeck/contract";
import { inList } from "../index.js";
/**
 * The list's filters (docs/api.md §5, §15.2) as SQL conditions on "jobs", shared by the list, the
 * stats and the export: the one place the filter language becomes SQL. Every value is a bound
 * parameter added to `params`; only column names are spliced in. Tags, metadata, payload and result
 * are tested on the row's JSON here; which index narrows the rows first is job-page.ts's choice.
 */
export function filterConditions(sql, userId, filters, params) {
    params.userId = userId;
    const conditions = [`"userId" = @userId`];
    if (filters.type)
        conditions.push(`"type" IN ${inList("type", filters.type, params)}`);
    if (filters.status)
        conditions.push(`"status" IN ${inList("status", filters.status, params)}`);
    if (filters.resultType)
        conditions.push(`"resultType" IN ${inList("resultType", filters.resultType, params)}`);
    if (filters.queue)
        conditions.push(`"queue" IN ${inList("queue", filters.queue, params)}`);
    if (filters.concurrencyKey)
        conditions.push(`"concurrencyKey" IN ${inList("concurrencyKey", filters.concurrencyKey, params)}`);
    if (filters.scheduleId)
        conditions.push(`"scheduleId" IN ${inList("scheduleId", filters.scheduleId, params)}`);
    if (filters.batchId)
        conditions.push(`"batchId" IN ${inList("batchId", filters.batchId, params)}`);
    if (filters.createdFrom !== undefined) {
        conditions.push(`"createdAt" >= @createdFrom`);
        params.createdFrom = new Date(filters.createdFrom);
    }
    if (filters.createdTo !== undefined) {
        conditions.push(`"createdAt" <= @createdTo`);
        params.createdTo = new Date(filters.createdTo);
    }
    if (filters.tag) {
        params.tagAny = filters.tag;
        conditions.push(sql.jsonArrayHas(`"tags"`, "tagAny", "any"));
    }
    if (filters.tagsAll) {
        params.tagAll = filters.tagsAll;
        conditions.push(sql.jsonArrayHas(`"tags"`, "tagAll", "all"));
    }
    if (filters.errorCode)
        conditions.push(`${sql.jsonMemberText(`"error"`, "code")} IN ${inList("errorCode", filters.errorCode, params)}`);
    if (filters.idPrefix !== undefined) {
        conditions.push(`substr("id", 1, @idPrefixLength) = @idPrefix`);
        params.idPrefix = filters.idPrefix;
        params.idPrefixLength = filters.idPrefix.length;
    }
    for (const [i, { key, value }] of (filters.metadataEquals ?? []).entries())
        conditions.push(sql.jsonEquals(`"metadata"`, `metadata${i}`, [key], value, params));
    for (const [i, { path, value }] of (filters.payloadEquals ?? []).entries())
        conditions.push(sql.jsonEquals(`"payload"`, `payload${i}`, path, value, params));
    for (const [i, { path, value }] of (filters.resultEquals ?? []).entries())
        conditions.push(sql.jsonEquals(`"result"`, `result${i}`, path, value, params));
    return conditions;
}
/**
 * Only a pending job has a waitReason, so a waitReason filter reads pending jobs only: the status
 * filter becomes its intersection with `pending` (an index range like any status filter), and
 * undefined means nothing can match (`status=failed&waitReason=queued`). The reason itself is
 * computed per row afterwards (jobs/wait-reasons.ts).
 */
export function pendingOnly(filters) {
    const statuses = filters.status ?? JOB_STATUSES;
    if (!statuses.includes("pending"))
        return undefined;
    return { ...filters, status: ["pending"] };
}
/**
 * The ranges a createdAt-ordered page can read instead of the jobs index: one metadata value, else
 * one tag that every match has (tagsAll, or a tag list of one), else one range per tag of `tag`.
 * Undefined when no tag or metadata filter narrows the jobs. A metadata filter on null, an object
 * or an array matches no job (metadata values are scalars): its range is empty.
 */
export function labelDrivers(filters) {
    const [metadata, ...otherMetadata] = filters.metadataEquals ?? [];
    if (metadata)
        return [
            {
                table: "job_metadata",
                index: "job_metadata_userId_key_value_createdAt_jobId_idx",
                column: "value",
                key: metadata.key,
                value: JSON.stringify(metadata.value),
                rest: { ...filters, metadataEquals: otherMetadata.length > 0 ? otherMetadata : undefined },
            },
        ];
    const tagIndex = "job_tags_userId_tag_createdAt_jobId_idx";
    const [allOf, ...otherAllOf] = filters.tagsAll ?? [];
    if (allOf !== undefined)
        return [
            {
                table: "job_tags",
                index: tagIndex,
                column: "tag",
                value: allOf,
                rest: { ...filters, tagsAll: otherAllOf.length > 0 ? otherAllOf : undefined },
            },
        ];
    return filters.tag?.map((tag) => ({
        table: "job_tags",
        index: tagIndex,
        column: "tag",
        value: tag,
        rest: { ...filters, tag: undefined },
    }));
}
//# sourceMappingURL=job-filters.js.map