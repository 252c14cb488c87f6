/**
 * When a request is sent again (pure: the fetcher and the event stream apply it). A request is
 * only ever repeated when repeating it is safe: a GET, or a create that carries an Idempotency-Key
 * (the server answers a repeat with the first answer and creates nothing, §10).
 */

export type RetryOptions = {
  /** Repeats after the first attempt; 0 never repeats. Default 3. */
  retries?: number;
  /** The first repeat's delay; each next one doubles, with jitter. Default 250 ms. */
  minDelayMs?: number;
  /** No delay is longer. Default 10 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the 429 or 503 is thrown. Default 60 s. */
  maxRetryAfterMs?: number;
};

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 3,
  minDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Answers that say "not now" rather than "no": a timeout, the rate limit, a server or proxy in trouble. */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export const isRetryStatus = (status: number) => RETRY_STATUSES.has(status);

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, retries: 0 };
  return { ...DEFAULT_RETRY, ...options };
}

/**
 * The wait before attempt `attempt + 1` (attempts count from 1): exponential from minDelayMs, half of
 * it random so that many clients cut off together do not come back together, at most maxDelayMs.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before repeating a request whose attempt `attempt` ended as `outcome`, or undefined when
 * it is not to be repeated (out of attempts, or asked to wait longer than maxRetryAfterMs).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  outcome: { retryAfter: string | null } | "network-error",
  random: () => number = Math.random,
): number | undefined {
  if (attempt > policy.retries) return undefined;
  const backoff = backoffMs(policy, attempt, random);
  if (outcome === "network-error") return backoff;
  const asked = retryAfterMs(outcome.retryAfter);
  if (asked === undefined) return backoff;
  return asked > policy.maxRetryAfterMs ? undefined : Math.max(asked, backoff);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
