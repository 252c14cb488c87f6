import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import type { AttemptOutcome, Fence, JobStore, NewLogLine } from "../db/job-store/index.js";
import { parseJson, type JobRow } from "../db/rows.js";
import type { JobOutput, JobTypeDefinition } from "../job-types/types.js";
import { createAttemptReporter, newLogLine } from "./attempt-reporter.js";
import type { BackoffPolicy } from "./backoff.js";
import type { WorkerCounters, WorkerHooks } from "./hooks.js";
import { decideOutcome, type AbortCause, type HandlerEnd, type Outcome } from "./outcome.js";

export type { AbortCause } from "./outcome.js";

/** The reason a handler's signal carries: handlers may read `abortCause` to tell why they stop. */
export class JobAbortedError extends Error {
  readonly abortCause: AbortCause;
  constructor(abortCause: AbortCause, message: string) {
    super(message);
    this.name = "JobAbortedError";
    this.abortCause = abortCause;
  }
}

export type AttemptDeps = {
  store: JobStore;
  logger: Logger;
  leaseMs: number;
  backoff: BackoffPolicy;
  /** How long a handler whose signal fired may take to return before the worker stops waiting. */
  abortGraceMs: number;
  hooks: WorkerHooks;
  counters: WorkerCounters;
  /** A retry of this job is due at `runAt` (Unix ms): the worker wakes then to claim it. */
  onRetryScheduled(runAt: number): void;
  random?: () => number;
};

/** One running attempt, as the worker sees it. */
export type Attempt = {
  fence: Fence;
  /** Fires the handler's signal (no effect once it has fired). */
  abort(cause: AbortCause): void;
  /** Renews the lease now, which also notices a requested cancellation. */
  checkLease(): Promise<void>;
  /** Settles when the attempt has been written down (or found lost). */
  done: Promise<void>;
  /**
   * Settles when the handler has ended and the outcome is being written (or at `done`): from then
   * on the attempt runs no code of the job's, and its slot may take another job while the write goes.
   */
  handlerEnded: Promise<void>;
};

/** Tries at writing an attempt's outcome before leaving the job to its lease. */
const SETTLE_TRIES = 3;
const SETTLE_RETRY_MS = 200;

const ABORT_MESSAGES = (timeoutMs: number): Record<AbortCause, string> => ({
  cancelled: "the job was cancelled",
  timeout: `the attempt timed out after ${timeoutMs} ms`,
  "lease-lost": "this worker lost the job's lease",
  shutdown: "the worker is shutting down",
});

/** Waits for the handler; once the signal fires it gets `graceMs` more, then it is abandoned. */
async function awaitHandler(
  run: Promise<JobOutput>,
  signal: AbortSignal,
  graceMs: number,
): Promise<HandlerEnd> {
  const ended = run.then(
    (output): HandlerEnd => ({ kind: "returned", output }),
    (error: unknown): HandlerEnd => ({ kind: "threw", error }),
  );
  const abandoned = new Promise<HandlerEnd>((resolve) => {
    const onAbort = () => {
      setTimeout(() => resolve({ kind: "abandoned" }), graceMs).unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    void ended.then(() => signal.removeEventListener("abort", onAbort));
  });
  return Promise.race([ended, abandoned]);
}

/** The row change an outcome asks for; none for a lost lease. */
function toStoreOutcome(outcome: Outcome, isTimeout: boolean): AttemptOutcome | undefined {
  switch (outcome.kind) {
    case "lost":
      return undefined;
    case "completed":
      return { status: "completed", result: outcome.result, artifact: outcome.artifact };
    case "retry":
      return { status: "pending", runAt: outcome.runAt, isCounted: true, error: outcome.error, isTimeout };
    case "failed":
      return { status: "failed", error: outcome.error, isTimeout };
    case "cancelled":
      return { status: "cancelled" };
    case "handed-back":
      return { status: "pending", runAt: new Date(), isCounted: false };
  }
}

/** The log line the worker writes for a failed attempt: its reason, and whether and when it is retried. */
function failureLine(
  outcome: Outcome,
  row: JobRow,
  isTimeout: boolean,
): { level: "warn" | "error"; message: string; fields: Record<string, unknown> } | undefined {
  if (outcome.kind !== "retry" && outcome.kind !== "failed") return undefined;
  const what = isTimeout
    ? `timed out after ${row.timeoutMs} ms`
    : `failed with ${outcome.error.code}: ${outcome.error.message}`;
  if (outcome.kind === "retry")
    return {
      level: "warn",
      message: `attempt ${row.attempts} of ${row.maxAttempts} ${what}; retrying at ${outcome.runAt.toISOString()}`,
      fields: { code: outcome.error.code, retryAt: outcome.runAt.toISOString() },
    };
  return {
    level: "error",
    message: `attempt ${row.attempts} of ${row.maxAttempts} ${what}; the job has failed`,
    fields: { code: outcome.error.code },
  };
}

/** Starts an attempt on a job this worker has just claimed. */
export function startAttempt(
  row: JobRow,
  definition: JobTypeDefinition<unknown>,
  deps: AttemptDeps,
): Attempt {
  const { store, hooks, counters } = deps;
  const fence: Fence = { id: row.id, attempts: row.attempts, leaseOwner: row.leaseOwner ?? "" };
  const logger = deps.logger.child({ jobId: row.id, type: row.type, attempt: row.attempts });
  const controller = new AbortController();
  const startedAt = Date.now();
  let leaseUntil = row.leaseExpiresAt ?? startedAt;
  let isSettling = false;

  const call = <K extends keyof WorkerHooks>(name: K, ...args: Parameters<NonNullable<WorkerHooks[K]>>) => {
    try {
      (hooks[name] as ((...a: unknown[]) => void) | undefined)?.(...args);
    } catch (error) {
      logger.error({ err: error, hook: name }, "a worker hook threw");
    }
  };

  const abort = (cause: AbortCause) => {
    if (controller.signal.aborted) return;
    controller.abort(new JobAbortedError(cause, ABORT_MESSAGES(row.timeoutMs)[cause]));
  };
  const causeOf = (): AbortCause | undefined =>
    controller.signal.aborted ? (controller.signal.reason as JobAbortedError).abortCause : undefined;

  const loseLease = () => {
    if (causeOf() === "lease-lost") return;
    counters.leaseLosses++;
    call("onLeaseLost", row.id);
    logger.warn("lost the lease: another worker has the job now; stopping without writing");
    abort("lease-lost");
  };

  const checkLease = async () => {
    if (isSettling || causeOf() === "lease-lost") return;
    try {
      const renewed = await store.renewLease(fence, new Date(Date.now() + deps.leaseMs));
      if (isSettling) return;
      if (!renewed) {
        loseLease();
        return;
      }
      leaseUntil = Date.now() + deps.leaseMs;
      counters.leaseRenewals++;
      call("onLeaseRenewed", row.id);
      if (renewed.isCancelRequested) abort("cancelled");
    } catch (error) {
      logger.warn({ err: error }, "could not renew the lease");
      // Unsure whether the lease still holds once it would have run out: act as if it did not.
      if (Date.now() >= leaseUntil) loseLease();
    }
  };

  const reporter = createAttemptReporter({ store, fence, logger, onFenceLost: () => loseLease() });

  const timeoutTimer = setTimeout(() => abort("timeout"), row.timeoutMs);
  const renewTimer = setInterval(() => void checkLease(), Math.max(50, Math.floor(deps.leaseMs / 3)));

  /**
   * Writes the outcome, retrying a failed write while the lease holds; null when it could not be
   * written. It is written as of `endedAt`, the moment a retry's backoff was counted from, so a
   * row's runAt − updatedAt is the backoff it was given, however long the write took.
   */
  const write = async (
    outcome: AttemptOutcome,
    lines: NewLogLine[],
    endedAt: Date,
  ): Promise<JobRow | null> => {
    for (let writeTry = 1; ; writeTry++) {
      try {
        const settled = await store.settleAttempt(fence, outcome, endedAt, lines);
        if (!settled) loseLease();
        return settled;
      } catch (error) {
        if (writeTry >= SETTLE_TRIES || Date.now() >= leaseUntil) {
          // The lease will run out and the job will be taken up again: at least once, never lost.
          logger.error({ err: error }, "could not record the attempt's outcome; the job will run again");
          return null;
        }
        await delay(SETTLE_RETRY_MS);
      }
    }
  };

  /** Counts, logs and tells the hooks what was written. */
  const report = (outcome: Outcome, settled: JobRow) => {
    if (settled.status === "cancelled") {
      counters.cancelled++;
      logger.info("cancelled");
      call("onJobCancelled", settled);
      return;
    }
    switch (outcome.kind) {
      case "completed":
        counters.completed++;
        call("onJobCompleted", settled, Date.now() - startedAt);
        return;
      case "retry":
      case "failed": {
        const willRetry = outcome.kind === "retry";
        counters.failed++;
        if (willRetry) counters.retried++;
        logger.warn({ code: outcome.error.code, willRetry }, outcome.error.message);
        if (willRetry) deps.onRetryScheduled(settled.runAt);
        call("onJobFailed", settled, outcome.error, willRetry);
        return;
      }
      case "handed-back":
        counters.handedBack++;
        return;
      default:
        return;
    }
  };

  /** Runs the handler, or fails at once when the stored payload no longer fits the type. */
  const callHandler = async (): Promise<HandlerEnd> => {
    const parsed = definition.payloadSchema.safeParse(parseJson(row.payload));
    if (!parsed.success) {
      const error = new Error(`the stored payload no longer fits the type's schema: ${parsed.error.message}`);
      return { kind: "threw", error: Object.assign(error, { code: "INVALID_PAYLOAD", permanent: true }) };
    }
    const handler = Promise.resolve().then(() =>
      definition.handler(parsed.data, {
        jobId: row.id,
        userId: row.userId,
        attempt: row.attempts,
        signal: controller.signal,
        logger,
        progress: reporter.progress,
        log: reporter.log,
      }),
    );
    return awaitHandler(handler, controller.signal, deps.abortGraceMs);
  };

  const run = async () => {
    counters.started++;
    call("onJobStarted", row);
    const end = await callHandler();
    clearTimeout(timeoutTimer);
    const cause = causeOf();
    if (end.kind === "abandoned") {
      logger.error(
        { cause },
        `the handler did not stop within ${deps.abortGraceMs} ms of its signal; giving up on it`,
      );
    }
    // What the handler reported is written first: the job ends with its last progress and lines.
    if (causeOf() === "lease-lost") reporter.stop();
    else await reporter.drain();
    const endedAt = new Date();
    const outcome = decideOutcome(end, causeOf(), row, {
      ...deps.backoff,
      now: endedAt.getTime(),
      random: deps.random,
    });
    const isTimeout = cause === "timeout" && end.kind !== "returned";
    const change = toStoreOutcome(outcome, isTimeout);
    if (!change) return;
    // The product's own line, written with the end: why the attempt failed and what comes next (§14).
    const line = failureLine(outcome, row, isTimeout);
    isSettling = true;
    clearInterval(renewTimer);
    endHandler();
    const settled = await write(
      change,
      line ? [newLogLine(line.level, line.message, line.fields, endedAt)] : [],
      endedAt,
    );
    if (settled) report(outcome, settled);
  };

  let endHandler!: () => void;
  const handlerEnded = new Promise<void>((resolve) => (endHandler = resolve));
  const done = run()
    .catch((error: unknown) => {
      logger.error(
        { err: error },
        "the attempt failed unexpectedly; the lease will run out and the job run again",
      );
    })
    .finally(() => {
      clearTimeout(timeoutTimer);
      clearInterval(renewTimer);
      endHandler();
    });

  return { fence, abort, checkLease, done, handlerEnded };
}
