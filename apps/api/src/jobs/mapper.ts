import type { Job, JobError } from "@jobdeck/contract";
import type { Job as JobRow } from "../../generated/prisma-sqlite/client.js";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A database row as the API shows it: no lease or scheduling internals. */
export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    type: row.type,
    status: row.status as Job["status"],
    resultType: row.resultType,
    payload: row.payload,
    result: row.result ?? null,
    error: (row.error as JobError | null) ?? null,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
