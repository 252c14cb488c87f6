import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { defineJobType, type JobTypeDefinition } from "../../src/job-types/types.js";

/** Job types the tests run, each doing one thing a test needs. */

const anyPayload = z.object({}).passthrough();

type Options = { maxAttempts?: number; timeoutMs?: number };

const testType = (
  type: string,
  description: string,
  handler: JobTypeDefinition<Record<string, unknown>>["handler"],
  { maxAttempts = 3, timeoutMs = 60_000 }: Options = {},
) =>
  defineJobType({
    type,
    description,
    resultType: "json",
    payloadSchema: anyPayload,
    maxAttempts,
    timeoutMs,
    handler,
  });

/** Done at once with the given result. */
export const quickType = (type = "quick", result: unknown = "ok", options?: Options) =>
  testType(type, "done at once", () => Promise.resolve({ result }), options);

/**
 * Runs until its signal fires (cancellation, timeout, shutdown), then throws the signal's reason;
 * `onAbort` hears why (the reason's `abortCause`).
 */
export const endlessType = (type = "endless", options?: Options, onAbort?: (cause: string) => void) =>
  testType(
    type,
    "runs until stopped",
    async (_payload, { signal }) => {
      try {
        await delay(600_000, undefined, { signal });
      } catch (error) {
        onAbort?.(String((signal.reason as { abortCause?: unknown }).abortCause));
        throw error;
      }
      return { result: null };
    },
    options,
  );

/** Ignores its signal: returns `result` after `ms` whatever happens meanwhile. */
export const stubbornType = (type: string, ms: number, result: unknown, options?: Options) =>
  testType(
    type,
    "ignores its signal",
    async () => {
      await delay(ms);
      return { result };
    },
    options,
  );

/** Fails every attempt with the error `makeError` gives. */
export const failingType = (type: string, makeError: () => Error, options?: Options) =>
  testType(type, "always fails", () => Promise.reject(makeError()), options);

/** Starts (tells `started`), then waits for `release` before returning `result`. */
export const gatedType = (
  type: string,
  { started, release, result = null }: { started?: () => void; release: Promise<void>; result?: unknown },
  options?: Options,
) =>
  testType(
    type,
    "waits for the test",
    async () => {
      started?.();
      await release;
      return { result };
    },
    options,
  );
