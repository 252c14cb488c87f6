import type { JobError } from "@jobdeck/contract";
import type { Tx } from "../dialect/index.js";
import type { JobRow, QueueRow } from "../rows.js";

/** What a worker's every write is conditioned on: the attempt it holds, as it holds it. */
export type Fence = { id: string; attempts: number; leaseOwner: string };

export type NewJob = {
  id: string;
  userId: string;
  type: string;
  resultType: string;
  payload: unknown;
  maxAttempts: number;
  timeoutMs: number;
  /** §11's options; absent: the default queue, priority 0, runnable now, no keys. */
  queue?: string;
  priority?: number;
  /** Not started before then; already resolved from runAt, delayMs or now. */
  runAt?: Date;
  concurrencyKey?: string | null;
  dedupeKey?: string | null;
  /** §12: the schedule whose fire or trigger made it, the batch it is created in. */
  scheduleId?: string | null;
  batchId?: string | null;
  /** §15: the job a retry retries; the caller's tags and metadata (absent or empty: none). */
  retryOf?: string | null;
  tags?: readonly string[] | null;
  metadata?: Readonly<Record<string, string | number | boolean>> | null;
};

/**
 * What a create does while a pending job holds its dedupe key (§11): `skip` leaves it; `replace`
 * gives it the new job's payload, priority, key and runAt; `debounce` does too, with runAt = now +
 * debounceMs but never later than debounceMaxMs after the holder was created (nor before now).
 */
export type DedupeRule =
  | { mode: "skip" }
  | { mode: "replace" }
  | { mode: "debounce"; debounceMs: number; debounceMaxMs: number | undefined };

export type InsertResult =
  | { kind: "created"; row: JobRow }
  | { kind: "deduplicated"; row: JobRow }
  /** The pending job holding the key is of another type: nothing was written (a 409). */
  | { kind: "type-conflict"; holder: JobRow };

export type Artifact = { contentType: string; bytes: Buffer };

/** How an attempt ends, as far as the job's row is concerned. */
export type AttemptOutcome =
  | { status: "completed"; result: unknown; artifact?: Artifact | undefined }
  /** `isTimeout`: the attempt's own outcome (§14's attempts) is timed_out rather than failed. */
  | { status: "failed"; error: JobError; isTimeout?: boolean }
  | { status: "cancelled" }
  /**
   * Back to pending at `runAt`: a retry (`isCounted`, with the attempt's `error`) or a hand-back at
   * shutdown (not counted). A job whose cancellation was requested meanwhile is cancelled instead.
   */
  | { status: "pending"; runAt: Date; isCounted: boolean; error?: JobError; isTimeout?: boolean };

/** A log line as a handler gave it (§14), checked and cut already; `bytes` is what it counts in the cap. */
export type NewLogLine = {
  level: string;
  message: string;
  /** JSON text of the fields object, or null. */
  fields: string | null;
  at: Date;
  bytes: number;
};

/** What a flush of log lines kept and dropped (the job's cap). */
export type AppendLogsResult = { kept: number; dropped: number };

export type CancelResult =
  { kind: "cancelled"; job: JobRow } | { kind: "requested"; job: JobRow } | { kind: "ended"; job: JobRow };

/**
 * More to write in the transaction that inserts a job, after the job and its event: it commits with
 * them or, by throwing, rolls them back (the stored answer of an Idempotency-Key, see idempotency/).
 */
export type AlsoInTransaction = (tx: Tx, row: JobRow, isDeduplicated: boolean) => Promise<void>;

/**
 * What a new job's waitReason (§11) depends on, read with its write: the `types` column (JSON text)
 * of every worker alive then, and its queue's pause and limits.
 */
export type CreatedWaits = {
  workerTypes: string[];
  queue: Pick<
    QueueRow,
    | "isPaused"
    | "concurrency"
    | "perKeyConcurrency"
    | "rateLimit"
    | "ratePeriodMs"
    | "perKeyRateLimit"
    | "perKeyRatePeriodMs"
  >;
};

/** AlsoInTransaction for a create of many jobs: after the jobs and their events, given their rows in order. */
export type AlsoWithJobs = (tx: Tx, rows: JobRow[]) => Promise<void>;

/**
 * Every write that changes a job's state. Each is one short transaction on the process's writer
 * that changes the job and appends its event (job_events) together, so the event stream never
 * misses or invents a change.
 */
export type JobStore = {
  /** Stores a pending job without a dedupe key (creating its queue when new). */
  insertJob(job: NewJob, now: Date, also?: AlsoInTransaction): Promise<JobRow>;
  /**
   * insertJob without `also` (a create alone in its transaction), answering with the row what the
   * job's waitReason depends on when the database read it in the same statement
   * (SqlFragments.createJobSql): the types of the workers seen after `aliveSince`, and its queue's
   * pause and limits. `waits` is undefined where it was not read (SQLite; a job with tags or metadata).
   */
  insertJobAndExplain(
    job: NewJob,
    now: Date,
    aliveSince: Date,
  ): Promise<{ row: JobRow; waits: CreatedWaits | undefined }>;
  /**
   * Stores a pending job, or folds it into the pending job that holds its dedupe key by `dedupe`.
   * `also` runs in the same transaction unless nothing was written (a type conflict).
   */
  insertOrDeduplicate(
    job: NewJob,
    now: Date,
    dedupe: DedupeRule,
    also?: AlsoInTransaction,
  ): Promise<InsertResult>;
  /**
   * Stores many pending jobs without dedupe keys, all or none, in one transaction: one statement
   * for their queues, one for the jobs, one append of their events (§12's batches). Rows come back in
   * the order of `jobs`.
   */
  insertJobs(jobs: NewJob[], now: Date, also?: AlsoWithJobs): Promise<JobRow[]>;
  /**
   * Stores pending jobs without dedupe keys inside the caller's transaction `tx` (on this store's
   * writer), in one INSERT, with their events: for writes that commit together with other rows (a
   * schedule's fire times). Returns the rows in the order given.
   */
  insertJobsIn(tx: Tx, jobs: NewJob[], now: Date): Promise<JobRow[]>;
  /**
   * Takes up to `limit` runnable pending jobs of `types` for `owner`, within every queue's pause and
   * limits (claim.ts), highest priority, then oldest `runAt` first.
   */
  claimJobs(input: {
    owner: string;
    types: string[];
    limit: number;
    leaseMs: number;
    /** The claim's time; by default the moment the claim holds its locks. Tests set it to move time. */
    now?: Date | undefined;
  }): Promise<JobRow[]>;
  /** Extends the lease the fence holds; null when it holds none any more. */
  renewLease(fence: Fence, leaseUntil: Date): Promise<{ isCancelRequested: boolean } | null>;
  /**
   * Ends an attempt; null (and nothing written) when the fence no longer holds the job. Attempts
   * that end together are written together (settle-queue.ts). `lines` are log lines of the product's
   * own (why the attempt failed), written with the end, within the job's cap.
   */
  settleAttempt(
    fence: Fence,
    outcome: AttemptOutcome,
    now: Date,
    lines?: NewLogLine[],
  ): Promise<JobRow | null>;
  /**
   * §14: the handler's progress (JSON text of { current, total, message, updatedAt }) on the job, as a
   * change of the job with its event; false (nothing written) when the fence no longer holds.
   */
  setProgress(fence: Fence, progress: string, now: Date): Promise<boolean>;
  /**
   * §14: an attempt's log lines in one transaction, fenced, within the job's cap (its first lines
   * are kept, the rest counted; `alsoDropped` more were dropped before reaching the store), each kept
   * line with its `log` event. Null (nothing written) when the fence no longer holds.
   */
  appendLogs(
    fence: Fence,
    lines: NewLogLine[],
    alsoDropped: number,
    now: Date,
  ): Promise<AppendLogsResult | null>;
  /** Pending: cancelled now. Running: cancellation requested from its worker. Null when not found. */
  requestCancel(input: { userId: string; jobId: string; now: Date }): Promise<CancelResult | null>;
  /**
   * requestCancel for many of a user's jobs inside the caller's transaction (§15's bulk cancel):
   * pending ones are cancelled with their events, running ones have their cancellation requested
   * (their workers are told). Returns both; ids of ended, missing or others' jobs are in neither.
   */
  cancelJobsIn(
    tx: Tx,
    input: { userId: string; ids: readonly string[]; now: Date },
  ): Promise<{ cancelled: JobRow[]; requested: string[] }>;
  /** Jobs whose lease ran out: cancelled if asked to, failed if out of attempts, else pending again. */
  reapExpiredLeases(now: Date): Promise<JobRow[]>;
};

/** The error a job gets when the worker of its last attempt vanished. */
export const LEASE_EXPIRED_ERROR: JobError = {
  code: "LEASE_EXPIRED",
  message:
    "The worker running the last attempt stopped renewing its lease (it crashed, was killed or lost the database)",
};
