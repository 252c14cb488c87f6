import { isSameJson, valueAtPath } from "@jobdeck/contract";
/**
 * §15's filter language over one Job in memory, for what is not read from the tables: the `job`
 * events of GET /v1/events, live and replayed. It agrees with the SQL of db/queries/job-filters.ts
 * (the property tests compare both with a plain filter): lists are any-of, `tagsAll` all-of,
 * values compare as JSON (numbers by value), a missing path matches nothing.
 */
export function matchesJobFilters(job, filters) {
    const isIn = (values, value) => !values || values.includes(value);
    const createdAt = Date.parse(job.createdAt);
    return (isIn(filters.type, job.type) &&
        isIn(filters.status, job.status) &&
        isIn(filters.resultType, job.resultType) &&
        isIn(filters.queue, job.queue) &&
        (!filters.concurrencyKey ||
            (job.concurrencyKey !== null && filters.concurrencyKey.includes(job.concurrencyKey))) &&
        (!filters.waitReason || (job.waitReason !== null && filters.waitReason.includes(job.waitReason))) &&
        (!filters.scheduleId || (job.scheduleId !== null && filters.scheduleId.includes(job.scheduleId))) &&
        (!filters.batchId || (job.batchId !== null && filters.batchId.includes(job.batchId))) &&
        (filters.createdFrom === undefined || createdAt >= filters.createdFrom) &&
        (filters.createdTo === undefined || createdAt <= filters.createdTo) &&
        (!filters.tag || filters.tag.some((tag) => job.tags.includes(tag))) &&
        (!filters.tagsAll || filters.tagsAll.every((tag) => job.tags.includes(tag))) &&
        (!filters.errorCode || (job.error !== null && filters.errorCode.includes(job.error.code))) &&
        (filters.idPrefix === undefined || job.id.toLowerCase().startsWith(filters.idPrefix)) &&
        (filters.metadataEquals ?? []).every(({ key, value }) => Object.hasOwn(job.metadata, key) && isSameJson(job.metadata[key], value)) &&
        (filters.payloadEquals ?? []).every(({ path, value }) => isPresentAndSame(valueAtPath(job.payload, path), value)) &&
        (filters.resultEquals ?? []).every(({ path, value }) => isPresentAndSame(valueAtPath(job.result, path), value)));
}
const isPresentAndSame = (found, value) => found !== undefined && isSameJson(found, value);
/** Whether the filters say anything at all (an events stream without them sends every event). */
export const hasJobFilters = (filters) => Object.values(filters).some((value) => value !== undefined);
//# sourceMappingURL=match-job.js.map