import { z } from "zod";
import { withOpenApi } from "./common.js";

/**
 * What §11 adds to a job: where it waits (its queue), in which order (priority, runAt), under which
 * limits (concurrencyKey) and how creates with the same dedupeKey fold together. The queue routes
 * are in queues.ts.
 */

export const DEFAULT_QUEUE = "default";
export const QUEUE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Concurrency and dedupe keys: 1–255 visible ASCII characters. */
export const CONCURRENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export const PRIORITY_MIN = -100;
export const PRIORITY_MAX = 100;
export const DELAY_MS_MAX = 31_622_400_000;
/** How far ahead `runAt` may be: 366 days. */
export const RUN_AT_AHEAD_MAX_MS = 366 * 86_400_000;
export const DEBOUNCE_MS_MAX = 86_400_000;

/**
 * Why a pending job is not running (§11), in the order that decides between several: the first
 * that applies is the job's.
 */
export const WAIT_REASONS = [
  "backoff",
  "scheduled",
  "paused",
  "no_worker",
  "concurrency",
  "rate_limit",
  "queued",
] as const;
// Not named in the OpenAPI document: a job's waitReason is nullable, and OpenAPI 3.0 has no way to
// say "this $ref, or null".
export const WaitReasonSchema = withOpenApi(z.enum(WAIT_REASONS), {
  description:
    "Why a pending job is not running: backoff (waiting to be retried), scheduled (its runAt is ahead), paused (its queue is paused), no_worker (no live process has its type loaded), concurrency (its queue or key is at its limit), rate_limit (its queue or key has used its starts for now), queued (it may start; workers are busy).",
});
export type WaitReason = z.infer<typeof WaitReasonSchema>;

export const DEDUPE_MODES = ["skip", "replace", "debounce"] as const;
export const DedupeModeSchema = z.enum(DEDUPE_MODES, {
  errorMap: () => ({ message: `must be one of ${DEDUPE_MODES.join(", ")}` }),
});
export type DedupeMode = z.infer<typeof DedupeModeSchema>;

const int = (min: number, max: number) =>
  z
    .number({ invalid_type_error: "must be an integer" })
    .int("must be an integer")
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

export const QueueNameSchema = z
  .string({ invalid_type_error: "must be a string" })
  .regex(QUEUE_NAME_PATTERN, "must match ^[a-z0-9][a-z0-9._-]{0,63}$");

const keyField = (description: string) =>
  z
    .string({ invalid_type_error: "must be a string" })
    .regex(CONCURRENCY_KEY_PATTERN, "must be 1 to 255 visible ASCII characters")
    .describe(description);

/** An ISO 8601 time with an offset (`Z` or `+02:00`), any precision. */
const RUN_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The optional fields §11 adds to `POST /v1/jobs`; checked together by checkCreateJobOptions. */
export const createJobOptionFields = {
  queue: QueueNameSchema.describe(
    'The queue the job waits in; default "default". Queues are the owner\'s own.',
  ).optional(),
  priority: int(PRIORITY_MIN, PRIORITY_MAX)
    .describe(
      "−100…100, default 0: among a queue's jobs that may start, higher first; then earlier runAt; then id.",
    )
    .optional(),
  runAt: z
    .string({ invalid_type_error: "must be a string" })
    .regex(RUN_AT_PATTERN, "must be an ISO 8601 time with an offset, such as 2026-12-03T16:00:00Z")
    .refine((value) => !Number.isNaN(Date.parse(value)), "must be a real time")
    .describe(
      "Not started before then (ISO 8601 with offset, at most 366 days ahead); a past time means now.",
    )
    .optional(),
  delayMs: int(0, DELAY_MS_MAX).describe("runAt = now + delayMs. Not with runAt.").optional(),
  concurrencyKey: keyField(
    "Jobs of one queue with the same key share the queue's perKeyConcurrency and perKeyRateLimit.",
  ).optional(),
  dedupeKey: keyField("At most one pending job per (owner, queue, dedupeKey); see dedupe.").optional(),
  dedupe: DedupeModeSchema.describe(
    "What a create does while a pending job holds the dedupeKey: skip (default), replace or debounce.",
  ).optional(),
  debounceMs: int(1, DEBOUNCE_MS_MAX)
    .describe("With dedupe: debounce (required there): runAt = now + debounceMs.")
    .optional(),
  debounceMaxMs: int(1, DEBOUNCE_MS_MAX)
    .describe("With dedupe: debounce: never later than this after the pending job was created; ≥ debounceMs.")
    .optional(),
};

type CreateJobOptions = {
  [K in keyof typeof createJobOptionFields]?: z.infer<(typeof createJobOptionFields)[K]>;
};

/** The rules between §11's create options, each refusal at the field it is about. */
export function checkCreateJobOptions(body: CreateJobOptions, ctx: z.RefinementCtx): void {
  const refuse = (path: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  if (body.runAt !== undefined && body.delayMs !== undefined)
    refuse("delayMs", "must not be sent with runAt");
  if (body.runAt !== undefined && Date.parse(body.runAt) > Date.now() + RUN_AT_AHEAD_MAX_MS)
    refuse("runAt", "must be at most 366 days ahead");
  if (body.dedupeKey === undefined) {
    for (const field of ["dedupe", "debounceMs", "debounceMaxMs"] as const)
      if (body[field] !== undefined) refuse(field, "requires dedupeKey");
    return;
  }
  if (body.dedupe === "debounce") {
    if (body.debounceMs === undefined) refuse("debounceMs", 'is required with dedupe: "debounce"');
    if (body.runAt !== undefined) refuse("runAt", 'must not be sent with dedupe: "debounce"');
    if (body.delayMs !== undefined) refuse("delayMs", 'must not be sent with dedupe: "debounce"');
    if (
      body.debounceMs !== undefined &&
      body.debounceMaxMs !== undefined &&
      body.debounceMaxMs < body.debounceMs
    )
      refuse("debounceMaxMs", "must be at least debounceMs");
  } else {
    for (const field of ["debounceMs", "debounceMaxMs"] as const)
      if (body[field] !== undefined) refuse(field, 'is allowed only with dedupe: "debounce"');
  }
}
