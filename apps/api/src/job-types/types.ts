import type { LogLevel } from "@jobdeck/contract";
import type { Logger } from "pino";
import type { z } from "zod";

/** What a handler gets besides its payload. */
export type JobContext = {
  jobId: string;
  userId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Fires when the job is cancelled, times out, loses its lease, or the process shuts down. */
  signal: AbortSignal;
  logger: Logger;
  /**
   * §14: how far the job has come, shown on the job as `progress`. Returns at once; writes are
   * coalesced to at most 4 a second, and the last value given before the handler returns is on the
   * job when it ends.
   */
  progress: (current: number, total?: number | null, message?: string | null) => void;
  /**
   * §14: a line of the job's log (GET /v1/jobs/{id}/logs, live as `log` events). Returns at once;
   * lines are written in batches. `message` is cut at 4,096 characters; a job keeps its first
   * 10,000 lines and 1 MiB, and counts the rest. Both are plain functions: destructure them freely.
   */
  log: (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
};

/**
 * A handler's answer. `result` is stored as the job's JSON result; an `artifact` (binary output such
 * as an image) is stored in the database and served by GET /v1/jobs/{id}/artifact.
 */
export type JobOutput = { result: unknown; artifact?: { contentType: string; bytes: Buffer } };

/**
 * A failure that retrying cannot fix: the job fails at once instead of going back to pending.
 * Modules loaded with JOB_TYPES_MODULE need not import this class: the worker recognises any error
 * with `permanent: true`, and takes `code` from any error that has an UPPER_SNAKE one.
 */
export class PermanentJobError extends Error {
  readonly code: string;
  readonly permanent = true;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
    this.code = code;
  }
}

/** A failed attempt with a code that says what happened; the job is retried like any thrown error. */
export class RetryableJobError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryableJobError";
    this.code = code;
  }
}

export type JobTypeDefinition<P = unknown> = {
  /** Unique name, e.g. "image.thumbnail". */
  type: string;
  description: string;
  /** How the dashboard shows results: json, html, image, text or binary. */
  resultType: string;
  payloadSchema: z.ZodType<P, z.ZodTypeDef, unknown>;
  maxAttempts: number;
  timeoutMs: number;
  // Method syntax on purpose: it lets a registry hold definitions of different payload types.
  handler(payload: P, ctx: JobContext): Promise<JobOutput>;
};

/** Keeps the payload type of a definition tied to its schema. */
export function defineJobType<P>(definition: JobTypeDefinition<P>): JobTypeDefinition<P> {
  return definition;
}
