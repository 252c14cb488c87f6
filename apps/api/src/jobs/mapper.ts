import type { Job, JobError, JobStatus } from "@jobdeck/contract";
import { parseJson, type JobRow } from "../db/rows.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The one mapping from a stored job to the API's Job: no lease or scheduling internals. */
export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    type: row.type,
    status: row.status as JobStatus,
    resultType: row.resultType,
    payload: parseJson(row.payload),
    result: parseJson(row.result),
    error: parseJson(row.error) as JobError | null,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

/** What a change's event carries (GET /v1/events): the job as GET /v1/jobs/{id} shows it, as JSON. */
export const jobEventData = (row: JobRow): string => JSON.stringify(toJob(row));
