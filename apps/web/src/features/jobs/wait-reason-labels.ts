import type { WaitReason } from "@jobdeck/contract";

/** Each reason in a few words, for filters and tooltips. */
export const WAIT_REASON_LABELS: Record<WaitReason, string> = {
  backoff: "retrying later",
  scheduled: "scheduled",
  paused: "queue paused",
  no_worker: "no worker for its type",
  concurrency: "at a concurrency limit",
  rate_limit: "at a rate limit",
  queued: "waiting for a free worker",
};
