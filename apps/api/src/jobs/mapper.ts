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

/** A `jobs` row as db.sql returns it: timestamps in Unix ms, JSON columns still encoded on SQLite. */
export type JobSqlRow = {
  id: string;
  type: string;
  status: string;
  resultType: string;
  payload: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
};

const isoMs = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The same Job as toJob, from a row read straight off the driver. */
export function sqlRowToJob(row: JobSqlRow, decodeJson: (value: unknown) => unknown): Job {
  return {
    id: row.id,
    type: row.type,
    status: row.status as Job["status"],
    resultType: row.resultType,
    payload: decodeJson(row.payload),
    result: row.result === null ? null : decodeJson(row.result),
    error: row.error === null ? null : (decodeJson(row.error) as JobError),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    startedAt: isoMs(row.startedAt),
    finishedAt: isoMs(row.finishedAt),
  };
}
