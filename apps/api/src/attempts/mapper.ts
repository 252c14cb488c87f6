import type { AttemptOutcome, JobAttempt, JobError, JobLogLine, LogLevel } from "@jobdeck/contract";
import { parseJson, type JobAttemptRow, type JobLogRow } from "../db/rows.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** The worker's id out of a claim's lease owner, `<workerId>#<claim>`. */
export const workerIdOf = (leaseOwner: string) => {
  const hash = leaseOwner.lastIndexOf("#");
  return hash < 0 ? leaseOwner : leaseOwner.slice(0, hash);
};

export const toAttempt = (row: JobAttemptRow): JobAttempt => ({
  attempt: row.attempt,
  startedAt: iso(row.startedAt),
  finishedAt: row.finishedAt === null ? null : iso(row.finishedAt),
  outcome: row.outcome as AttemptOutcome,
  error: parseJson(row.error) as JobError | null,
  workerId: workerIdOf(row.leaseOwner),
});

export const toLogLine = (row: JobLogRow): JobLogLine => ({
  seq: row.seq,
  attempt: row.attempt,
  level: row.level as LogLevel,
  message: row.message,
  fields: parseJson(row.fields) as Record<string, unknown> | null,
  at: iso(row.at),
});
