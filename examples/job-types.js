// An example JOB_TYPES_MODULE: plain JavaScript, no build step. Start jobdeck with
//
//   JOB_TYPES_MODULE=./examples/job-types.js npm start
//
// and these types appear in GET /v1/job-types beside the built-in ones, validated and run alike.
// A module exports an array of job types (as `default` or as `jobTypes`). Each has a name, a
// description, a resultType (json, html, image, text or binary), a zod payload schema, maxAttempts,
// timeoutMs, and an async handler(payload, ctx) that returns { result } (and optionally
// { artifact: { contentType, bytes } } for binary output).
//
// ctx.signal fires when the job is cancelled, times out, or its worker shuts down or loses the job:
// stop soon after it does. Throw to fail the attempt (it is retried with backoff up to
// maxAttempts); give the error `permanent: true` to fail the job at once, and an UPPER_SNAKE `code`
// to say what went wrong.
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";

export const textStatsJobType = {
  type: "text.stats",
  description: "Counts the characters, words and lines of a text.",
  resultType: "json",
  payloadSchema: z.object({ text: z.string().max(100_000) }).strict(),
  maxAttempts: 1,
  timeoutMs: 5_000,
  async handler({ text }) {
    if (text.trim() === "") {
      throw Object.assign(new Error("the text is empty: there is nothing to count"), {
        permanent: true,
        code: "EMPTY_TEXT",
      });
    }
    return {
      result: {
        characters: [...text].length,
        words: text.split(/\s+/).filter(Boolean).length,
        lines: text.split(/\r?\n/).length,
      },
    };
  },
};

export const countdownJobType = {
  type: "countdown",
  description: "Counts down from `from` to zero, one step every `stepMs`; stops early when cancelled.",
  resultType: "json",
  payloadSchema: z
    .object({
      from: z.number().int().min(1).max(1_000),
      stepMs: z.number().int().min(1).max(10_000).default(100),
    })
    .strict(),
  maxAttempts: 3,
  timeoutMs: 60_000,
  async handler({ from, stepMs }, { signal, logger }) {
    for (let left = from; left > 0; left--) {
      // Rejects with the signal's reason as soon as the job must stop.
      await delay(stepMs, undefined, { signal });
      logger.debug({ left }, "counting down");
    }
    return { result: { counted: from } };
  },
};

export default [textStatsJobType, countdownJobType];
