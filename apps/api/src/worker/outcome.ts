import type { JobError } from "@jobdeck/contract";
import type { Artifact } from "../db/job-store/index.js";
import type { JobOutput } from "../job-types/types.js";
import { backoffDelay, type BackoffPolicy } from "./backoff.js";

/** Why a handler's signal fired. */
export type AbortCause = "cancelled" | "timeout" | "lease-lost" | "shutdown";

/** How the call to the handler ended. */
export type HandlerEnd =
  | { kind: "returned"; output: JobOutput }
  | { kind: "threw"; error: unknown }
  /** Its signal fired and it did not return within the grace period: given up on. */
  | { kind: "abandoned" };

/** What an attempt comes to, and so what the worker writes for it. */
export type Outcome =
  /** The lease was lost: another worker has the job now, and this one writes nothing. */
  | { kind: "lost" }
  | { kind: "completed"; result: unknown; artifact: Artifact | undefined }
  /** Back to pending until `runAt`: the attempt failed and attempts remain. */
  | { kind: "retry"; error: JobError; runAt: Date }
  | { kind: "failed"; error: JobError }
  | { kind: "cancelled" }
  /** Back to pending at once, the attempt not counted: the worker is shutting down. */
  | { kind: "handed-back" };

/** What the decision needs of the job: which attempt this was, of how many, and its timeout. */
export type AttemptedJob = { attempts: number; maxAttempts: number; timeoutMs: number };

export type RetryTiming = BackoffPolicy & { now: number; random?: () => number };

const MAX_MESSAGE = 1_000;

/** Error messages end up in the database and the API: bounded, without NUL or control characters. */
export const cleanMessage = (message: string): string =>
  message.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ").slice(0, MAX_MESSAGE) || "no message";

const codeOf = (error: unknown, fallback: string) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : fallback;
};

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : typeof error === "string" ? error : "the handler failed";

const isPermanent = (error: unknown) => (error as { permanent?: unknown } | null)?.permanent === true;

/** JSON that both databases can store, or why not. */
function unstorableResult(output: JobOutput): string | undefined {
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

/**
 * The outcome of an attempt, from how the handler ended and why its signal fired (if it did). A
 * handler that returned completes the job, whatever fired meanwhile, unless its result cannot be
 * stored; otherwise a cancellation cancels, a shutdown hands the job back, and a timeout, a thrown
 * error or an abandoned handler fails the attempt: retried after a backoff while attempts remain
 * and the error is not permanent, else the job fails with the attempt named in the message.
 */
export function decideOutcome(
  end: HandlerEnd,
  cause: AbortCause | undefined,
  job: AttemptedJob,
  timing: RetryTiming,
): Outcome {
  if (cause === "lease-lost") return { kind: "lost" };

  const fail = (code: string, message: string, isFinal: boolean): Outcome => {
    const error = {
      code,
      message: cleanMessage(`${cleanMessage(message)} (attempt ${job.attempts} of ${job.maxAttempts})`),
    };
    if (isFinal || job.attempts >= job.maxAttempts) return { kind: "failed", error };
    const delayMs = backoffDelay(job.attempts, timing, timing.random);
    return { kind: "retry", error, runAt: new Date(timing.now + delayMs) };
  };

  if (end.kind === "returned") {
    const reason = unstorableResult(end.output);
    if (reason) return fail("INVALID_RESULT", reason, true);
    return { kind: "completed", result: end.output.result, artifact: end.output.artifact };
  }
  if (cause === "cancelled") return { kind: "cancelled" };
  if (cause === "shutdown") return { kind: "handed-back" };
  if (cause === "timeout") return fail("TIMEOUT", `timed out after ${job.timeoutMs} ms`, false);
  const error = end.kind === "threw" ? end.error : undefined;
  return fail(codeOf(error, "HANDLER_ERROR"), messageOf(error), isPermanent(error));
}
