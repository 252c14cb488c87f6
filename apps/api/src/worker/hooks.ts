import type { JobError } from "@jobdeck/contract";
import type { JobRow } from "../db/rows.js";

/**
 * Where metrics plug in (metrics/worker-hooks.ts wires them to prom-client). Called synchronously; a hook that
 * throws is logged and ignored, never allowed to disturb a job.
 */
export type WorkerHooks = {
  onJobStarted?(job: JobRow): void;
  onJobCompleted?(job: JobRow, durationMs: number): void;
  /** `willRetry`: the job went back to pending; otherwise it is now `failed`. */
  onJobFailed?(job: JobRow, error: JobError, willRetry: boolean): void;
  onJobCancelled?(job: JobRow): void;
  onLeaseRenewed?(jobId: string): void;
  /** The worker found that another worker (or the reaper) took the job over: it stops and writes nothing. */
  onLeaseLost?(jobId: string): void;
};

/** Running totals since the worker started: cheap to read, e.g. for a /metrics scrape. */
export type WorkerCounters = {
  started: number;
  completed: number;
  /** Attempts that failed, retried or not. */
  failed: number;
  retried: number;
  cancelled: number;
  /** Jobs given back unfinished at shutdown. */
  handedBack: number;
  leaseRenewals: number;
  leaseLosses: number;
  /** Jobs of other, vanished workers that this worker's reaper moved on. */
  reaped: number;
};

export const emptyCounters = (): WorkerCounters => ({
  started: 0,
  completed: 0,
  failed: 0,
  retried: 0,
  cancelled: 0,
  handedBack: 0,
  leaseRenewals: 0,
  leaseLosses: 0,
  reaped: 0,
});
