import { isEnded, type Job } from "@jobdeck/contract";
import { JobdeckError } from "./errors.js";
import type { SubscribeOptions, Subscription } from "./subscribe-events.js";

export type WaitForOptions = {
  /** Give up after this long: rejects with a JobdeckError TIMEOUT. Default: no limit. */
  timeoutMs?: number;
  /** Give up when it aborts: rejects with its reason. */
  signal?: AbortSignal;
  /** How often to ask while the event stream is down. Default 1 s. */
  pollIntervalMs?: number;
};

type Deps = {
  getJob(jobId: string, signal: AbortSignal): Promise<Job>;
  subscribe(options: SubscribeOptions): Subscription;
};

const DEFAULT_POLL_MS = 1_000;

/** Errors that asking again will not change: the job is not the caller's, or the token is refused. */
const isFinal = (error: unknown): error is JobdeckError =>
  error instanceof JobdeckError && [401, 404].includes(error.status);

/**
 * Resolves with the job once it has ended (completed, failed or cancelled). It listens to the event
 * stream, and reads the job each time the stream opens, so that an end that happened before (or
 * between two connections) is seen too; while the stream is down it polls instead.
 */
export function waitForJob(deps: Deps, jobId: string, options: WaitForOptions = {}): Promise<Job> {
  const { timeoutMs, signal, pollIntervalMs = DEFAULT_POLL_MS } = options;
  return new Promise<Job>((resolve, reject) => {
    const done = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    const stopPolling = () => {
      clearInterval(poll);
      poll = undefined;
    };
    const settle = (outcome: () => void) => {
      if (done.signal.aborted) return;
      done.abort();
      clearTimeout(timer);
      stopPolling();
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => settle(() => reject(signal?.reason as Error));
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });

    const check = () => {
      deps.getJob(jobId, done.signal).then(
        (job) => {
          if (isEnded(job.status)) settle(() => resolve(job));
        },
        (error: unknown) => {
          if (isFinal(error)) settle(() => reject(error));
          // Otherwise the stream or the next poll tries again.
        },
      );
    };

    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new JobdeckError({
                status: 0,
                code: "TIMEOUT",
                message: `job ${jobId} had not ended after ${timeoutMs} ms`,
              }),
            ),
          ),
        timeoutMs,
      );
    }

    deps.subscribe({
      signal: done.signal,
      onOpen: () => {
        stopPolling();
        check();
      },
      onJob: (job) => {
        if (job.id === jobId && isEnded(job.status)) settle(() => resolve(job));
      },
      onError: (error, { willReconnect }) => {
        if (!willReconnect && isFinal(error)) {
          settle(() => reject(error));
          return;
        }
        if (poll === undefined) {
          check();
          poll = setInterval(check, pollIntervalMs);
        }
      },
    });
  });
}
