/**
 * Why a pending job waits, in words, and when it may start: the server's `waitReason` (§11) made
 * concrete with what else the page read (the queue's settings and counts, the key's running jobs,
 * the queue's recent starts). A pure function of those, so every case is tested without a server.
 */
import type { Job, Queue, WaitReason } from "@jobdeck/contract";
import { formatSpan as formatIn, formatTime } from "../../lib/format";
import { formatRate } from "../queues/queue-limits";

// The labels live apart, so that the list (its rows and filter) does not download the rest.
export { WAIT_REASON_LABELS } from "./wait-reason-labels";

/** What the page knows besides the job; anything missing makes the words vaguer, never wrong. */
export type WaitContext = {
  now: number;
  /** GET /v1/queues/{name} of the job's queue. */
  queue?: Queue;
  /** Running jobs with the job's concurrencyKey in its queue (GET /v1/jobs/stats?…&status=running). */
  keyRunning?: number;
  /** Start times (Unix ms) of the queue's latest attempts, any order; for rate limits. */
  queueStarts?: number[];
  /** The same, for the job's concurrencyKey. */
  keyStarts?: number[];
};

export type WaitExplanation = {
  reason: WaitReason;
  /** Why it waits: "key acme: 3 of 3 running", "scheduled in 4 min". */
  text: string;
  /** When it may start, as a sentence. */
  startText: string;
  /** When that is a known instant: Unix ms. */
  startsAt?: number;
};

/**
 * When a window of `periodMs` holding `starts` lets the next start go: once the start that put it
 * at `limit` leaves it. Undefined when the window is not full (by what the page saw).
 */
export function nextRateStart(
  starts: number[],
  limit: number,
  periodMs: number,
  now: number,
): number | undefined {
  const inWindow = starts.filter((at) => at > now - periodMs && at <= now).sort((a, b) => b - a);
  const blocking = inWindow[limit - 1];
  return blocking === undefined ? undefined : blocking + periodMs;
}

const at = (ms: number, now: number) => formatTime(new Date(ms).toISOString(), new Date(now));

/** Undefined for a job that does not wait (any status but pending, or no reason given). */
export function explainWait(job: Job, context: WaitContext): WaitExplanation | undefined {
  const reason = job.waitReason;
  if (job.status !== "pending" || reason === null) return undefined;
  const { now, queue } = context;
  const runAt = Date.parse(job.runAt);
  switch (reason) {
    case "backoff":
      return {
        reason,
        text: runAt > now ? `retrying in ${formatIn(runAt - now)}` : "retrying now",
        startText: `Attempt ${job.attempts} of ${job.maxAttempts} failed; the next may start at ${at(runAt, now)}.`,
        startsAt: runAt,
      };
    case "scheduled":
      return {
        reason,
        text: runAt > now ? `scheduled in ${formatIn(runAt - now)}` : "scheduled for now",
        startText: `May start at ${at(runAt, now)}, not before.`,
        startsAt: runAt,
      };
    case "paused":
      return {
        reason,
        text: "queue paused",
        startText: `May start once queue ${job.queue} is resumed.`,
      };
    case "no_worker":
      return {
        reason,
        text: "no worker runs this type",
        startText: `May start once a worker that runs ${job.type} is up (no live process has it loaded).`,
      };
    case "concurrency":
      return explainConcurrency(job, context);
    case "rate_limit":
      return explainRateLimit(job, context);
    case "queued":
      return {
        reason,
        text: "waiting for a free worker",
        startText: queue?.isPaused
          ? `May start once queue ${job.queue} is resumed.`
          : "May start as soon as a worker has a free slot.",
      };
  }
}

function explainConcurrency(job: Job, { queue, keyRunning }: WaitContext): WaitExplanation {
  const key = job.concurrencyKey;
  const perKey = queue?.perKeyConcurrency ?? null;
  if (key !== null && perKey !== null && keyRunning !== undefined && keyRunning >= perKey) {
    return {
      reason: "concurrency",
      text: `key ${key}: ${keyRunning} of ${perKey} running`,
      startText: `May start when one of the running jobs of key ${key} ends.`,
    };
  }
  if (queue && queue.concurrency !== null && queue.counts.running >= queue.concurrency) {
    return {
      reason: "concurrency",
      text: `queue ${queue.name}: ${queue.counts.running} of ${queue.concurrency} running`,
      startText: `May start when one of the running jobs of queue ${queue.name} ends.`,
    };
  }
  return {
    reason: "concurrency",
    text: key !== null ? `queue ${job.queue} or key ${key} at its limit` : `queue ${job.queue} at its limit`,
    startText: "May start when a running job it shares a limit with ends.",
  };
}

function explainRateLimit(job: Job, { now, queue, queueStarts, keyStarts }: WaitContext): WaitExplanation {
  const waits: { until: number; what: string }[] = [];
  if (queue?.rateLimit && queueStarts) {
    const until = nextRateStart(queueStarts, queue.rateLimit.limit, queue.rateLimit.periodMs, now);
    if (until !== undefined)
      waits.push({ until, what: `queue ${queue.name}: ${formatRate(queue.rateLimit)}` });
  }
  if (queue?.perKeyRateLimit && job.concurrencyKey !== null && keyStarts) {
    const until = nextRateStart(keyStarts, queue.perKeyRateLimit.limit, queue.perKeyRateLimit.periodMs, now);
    if (until !== undefined)
      waits.push({ until, what: `key ${job.concurrencyKey}: ${formatRate(queue.perKeyRateLimit)}` });
  }
  const last = waits.sort((a, b) => b.until - a.until)[0];
  if (!last) {
    const limits = [
      queue?.rateLimit && `queue ${job.queue}: ${formatRate(queue.rateLimit)}`,
      queue?.perKeyRateLimit &&
        job.concurrencyKey !== null &&
        `key ${job.concurrencyKey}: ${formatRate(queue.perKeyRateLimit)}`,
    ].filter(Boolean);
    return {
      reason: "rate_limit",
      text: "rate limit: next start once the window allows",
      startText:
        limits.length > 0
          ? `Its starts are used for now (${limits.join("; ")}).`
          : "Its queue or key has used its starts for now.",
    };
  }
  return {
    reason: "rate_limit",
    text:
      last.until > now
        ? `rate limit: next start in ${formatIn(last.until - now)}`
        : "rate limit: next start now",
    startText: `May start at about ${at(last.until, now)} (${last.what}).`,
    startsAt: last.until,
  };
}
