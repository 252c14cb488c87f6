import { setTimeout as delay } from "node:timers/promises";
import type { JobError } from "@jobdeck/contract";
import type { Logger } from "pino";
import type { AttemptOutcome, Fence, JobRow, JobStore } from "../db/job-store/index.js";
import type { JobOutput, JobTypeDefinition } from "../job-types/types.js";
import { backoffDelay, type BackoffPolicy } from "./backoff.js";
import type { WorkerCounters, WorkerHooks } from "./hooks.js";

/** Why a handler's signal fired. */
export type AbortCause = "cancelled" | "timeout" | "lease-lost" | "shutdown";

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
  /** A retry of this job is due at `runAt`: the worker wakes then to claim it. */
  onRetryScheduled(runAt: Date): void;
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
};

const MAX_MESSAGE = 1_000;
const SETTLE_TRIES = 3;
const SETTLE_RETRY_MS = 200;

/** Error messages end up in the database and the API: bounded, without NUL or control characters. */
const cleanMessage = (message: string) =>
  message.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ").slice(0, MAX_MESSAGE) || "no message";

const codeOf = (error: unknown, fallback: string) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : fallback;
};

const messageOf = (error: unknown) =>
  cleanMessage(
    error instanceof Error ? error.message : typeof error === "string" ? error : "the handler failed",
  );

const isPermanent = (error: unknown) => (error as { permanent?: unknown } | null)?.permanent === true;

/** The handler's answer, or why there is none. */
type HandlerEnd = { ok: true; output: JobOutput } | { ok: false; error: unknown } | { ok: "abandoned" };

/** Waits for the handler; once the signal fires it gets `graceMs` more, then it is abandoned. */
async function awaitHandler(
  run: Promise<JobOutput>,
  signal: AbortSignal,
  graceMs: number,
): Promise<HandlerEnd> {
  const ended = run.then(
    (output): HandlerEnd => ({ ok: true, output }),
    (error: unknown): HandlerEnd => ({ ok: false, error }),
  );
  const abandoned = new Promise<HandlerEnd>((resolve) => {
    const onAbort = () => {
      setTimeout(() => resolve({ ok: "abandoned" }), graceMs).unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    void ended.then(() => signal.removeEventListener("abort", onAbort));
  });
  return Promise.race([ended, abandoned]);
}

/** JSON that both databases can store, or a reason why not. */
function storableResult(output: JobOutput): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(output.result ?? null);
  } catch (error) {
    return `the result is not JSON: ${(error as Error).message}`;
  }
  if (text === undefined) return "the result is not JSON";
  if (text.includes("\\u0000")) return "the result contains U+0000, which cannot be stored";
  return undefined;
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
  let leaseUntil = row.leaseExpiresAt?.getTime() ?? startedAt;
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
    const messages: Record<AbortCause, string> = {
      cancelled: "the job was cancelled",
      timeout: `the attempt timed out after ${row.timeoutMs} ms`,
      "lease-lost": "this worker lost the job's lease",
      shutdown: "the worker is shutting down",
    };
    controller.abort(new JobAbortedError(cause, messages[cause]));
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

  const timeoutTimer = setTimeout(() => abort("timeout"), row.timeoutMs);
  const renewTimer = setInterval(() => void checkLease(), Math.max(50, Math.floor(deps.leaseMs / 3)));

  const settle = async (outcome: AttemptOutcome): Promise<JobRow | null> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const settled = await store.settleAttempt(fence, outcome, new Date());
        if (!settled) loseLease();
        return settled;
      } catch (error) {
        if (attempt >= SETTLE_TRIES || Date.now() >= leaseUntil) {
          // The lease will run out and the job will be taken up again: at least once, never lost.
          logger.error({ err: error }, "could not record the attempt's outcome; the job will run again");
          return null;
        }
        await delay(SETTLE_RETRY_MS);
      }
    }
  };

  const cancelled = (settled: JobRow) => {
    counters.cancelled++;
    logger.info("cancelled");
    call("onJobCancelled", settled);
  };

  const fail = async (error: JobError, isFinal: boolean) => {
    counters.failed++;
    const willRetry = !isFinal && row.attempts < row.maxAttempts;
    const message = `${error.message} (attempt ${row.attempts} of ${row.maxAttempts})`;
    const settled = willRetry
      ? await settle({
          status: "pending",
          runAt: new Date(Date.now() + backoffDelay(row.attempts, deps.backoff, deps.random)),
          isCounted: true,
        })
      : await settle({ status: "failed", error: { code: error.code, message: cleanMessage(message) } });
    if (!settled) return;
    logger.warn({ code: error.code, willRetry }, message);
    if (settled.status === "cancelled") {
      cancelled(settled);
      return;
    }
    if (willRetry) {
      counters.retried++;
      deps.onRetryScheduled(settled.runAt);
    }
    call("onJobFailed", settled, error, willRetry);
  };

  const run = async () => {
    counters.started++;
    call("onJobStarted", row);
    const parsed = definition.payloadSchema.safeParse(row.payload);
    let end: HandlerEnd;
    if (!parsed.success) {
      end = {
        ok: false,
        error: Object.assign(
          new Error(`the stored payload no longer fits the type's schema: ${parsed.error.message}`),
          {
            code: "INVALID_PAYLOAD",
            permanent: true,
          },
        ),
      };
    } else {
      const handler = Promise.resolve().then(() =>
        definition.handler(parsed.data, {
          jobId: row.id,
          userId: row.userId,
          attempt: row.attempts,
          signal: controller.signal,
          logger,
        }),
      );
      end = await awaitHandler(handler, controller.signal, deps.abortGraceMs);
    }
    clearTimeout(timeoutTimer);
    const cause = causeOf();
    if (cause === "lease-lost") return;
    if (end.ok === "abandoned") {
      logger.error(
        { cause },
        `the handler did not stop within ${deps.abortGraceMs} ms of its signal; giving up on it`,
      );
    }
    isSettling = true;
    clearInterval(renewTimer);

    if (end.ok === true) {
      const invalid = storableResult(end.output);
      if (invalid) {
        await fail({ code: "INVALID_RESULT", message: invalid }, true);
        return;
      }
      const settled = await settle({
        status: "completed",
        result: end.output.result,
        artifact: end.output.artifact,
      });
      if (!settled) return;
      counters.completed++;
      call("onJobCompleted", settled, Date.now() - startedAt);
      return;
    }
    if (cause === "cancelled") {
      const settled = await settle({ status: "cancelled" });
      if (settled) cancelled(settled);
      return;
    }
    if (cause === "shutdown") {
      const settled = await settle({ status: "pending", runAt: new Date(), isCounted: false });
      if (settled?.status === "cancelled") cancelled(settled);
      else if (settled) counters.handedBack++;
      return;
    }
    if (cause === "timeout") {
      await fail({ code: "TIMEOUT", message: `timed out after ${row.timeoutMs} ms` }, false);
      return;
    }
    const error = end.ok === false ? end.error : undefined;
    await fail({ code: codeOf(error, "HANDLER_ERROR"), message: messageOf(error) }, isPermanent(error));
  };

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
    });

  return { fence, abort, checkLease, done };
}
