import type {
  BulkOperation as PrismaBulkOperation,
  Job as PrismaJob,
  JobAttempt as PrismaJobAttempt,
  JobLog as PrismaJobLog,
  Schedule as PrismaSchedule,
} from "../../generated/prisma-sqlite/client.js";

/**
 * Rows as the data layer returns them, the same from both databases: timestamps as Unix
 * milliseconds, JSON columns as their text (parsed where they are used, once), 64-bit integers as
 * numbers. The tables themselves are defined in prisma/models.prisma.
 */

/** A row of `jobs`. */
export type JobRow = {
  id: string;
  userId: string;
  type: string;
  /** pending | running | completed | failed | cancelled */
  status: string;
  resultType: string;
  /** JSON text. */
  payload: string;
  /** JSON text once completed. */
  result: string | null;
  /** JSON text of `{ code, message }` once failed. */
  error: string | null;
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  runAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  cancelRequestedAt: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  queue: string;
  priority: number;
  concurrencyKey: string | null;
  dedupeKey: string | null;
  /** The dedupeKey while this job holds it (pending); see models.prisma. */
  dedupeSlot: string | null;
  /** Whether its queue is paused or limited (SQLite gives 0 or 1); see models.prisma. */
  isLimited: boolean | number;
  /** §12: the schedule that made it and the batch it was created in. */
  scheduleId: string | null;
  batchId: string | null;
  /** §15: the job it retries; its tags (JSON array text) and metadata (JSON object text), NULL for none. */
  retryOf: string | null;
  tags: string | null;
  metadata: string | null;
  /** §14: JSON text of { current, total, message, updatedAt }. */
  progress: string | null;
};

/** A row of `queues` (§11). */
export type QueueRow = {
  userId: string;
  name: string;
  isPaused: boolean;
  concurrency: number | null;
  perKeyConcurrency: number | null;
  rateLimit: number | null;
  ratePeriodMs: number | null;
  perKeyRateLimit: number | null;
  perKeyRatePeriodMs: number | null;
  isFlowControlled: boolean;
  version: number;
  keyCursor: string | null;
  lastLookedAt: number | null;
  createdAt: number;
  updatedAt: number;
};

/** A row of `schedules` (§12): `payload` is JSON text; `nextRunAt` is null while paused. */
export type ScheduleRow = {
  id: string;
  userId: string;
  name: string;
  cron: string;
  timezone: string;
  type: string;
  payload: string;
  queue: string;
  priority: number;
  /** allow | skip */
  overlap: string;
  /** latest | none */
  catchUp: string;
  isPaused: boolean;
  nextRunAt: number | null;
  lastRunAt: number | null;
  lastJobId: string | null;
  createdAt: number;
  updatedAt: number;
};

/** A row of `bulk_operations` (§15): `selection` is the request's filter or ids as JSON text. */
export type BulkOperationRow = {
  id: string;
  userId: string;
  /** cancel | retry | delete */
  action: string;
  /** running | completed | cancelled | failed */
  status: string;
  selection: string;
  matched: number;
  succeeded: number;
  skipped: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
};

/**
 * A row of `job_events`: `data` is the Job's JSON as the API showed it right after the change; the
 * id is 64-bit (see queries/events.ts), so a bigint.
 */
export type JobEventRow = { id: bigint; userId: string; data: string; kind: string };

/** A row of `job_attempts` (§14): `error` is JSON text of { code, message } or null. */
export type JobAttemptRow = {
  id: number;
  jobId: string;
  attempt: number;
  /** The claim's owner, `<workerId>#<claim>`. */
  leaseOwner: string;
  outcome: string;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
};

/** A row of `job_logs` (§14): `fields` is JSON text of an object, or null. */
export type JobLogRow = {
  jobId: string;
  seq: number;
  attempt: number;
  level: string;
  message: string;
  fields: string | null;
  at: number;
};

/** Every column of the model, no more and no less: a column added to models.prisma must be added above. */
type HasSameColumns<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
const jobRowMatchesModel: HasSameColumns<JobRow, PrismaJob> = true;
void jobRowMatchesModel;
const scheduleRowMatchesModel: HasSameColumns<ScheduleRow, PrismaSchedule> = true;
void scheduleRowMatchesModel;
const bulkOperationRowMatchesModel: HasSameColumns<BulkOperationRow, PrismaBulkOperation> = true;
void bulkOperationRowMatchesModel;
const attemptRowMatchesModel: HasSameColumns<JobAttemptRow, PrismaJobAttempt> = true;
void attemptRowMatchesModel;
const logRowMatchesModel: HasSameColumns<JobLogRow, PrismaJobLog> = true;
void logRowMatchesModel;

/** A JSON column's text as a value (`null` for SQL NULL). */
export const parseJson = (text: string | null): unknown =>
  text === null ? null : (JSON.parse(text) as unknown);

/** A value as a JSON column's text. */
export const jsonText = (value: unknown): string => JSON.stringify(value ?? null);
