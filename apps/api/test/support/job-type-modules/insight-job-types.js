// A job type for §14's tests (loaded with JOB_TYPES_MODULE): it reports progress and writes log
// lines as its payload says, and fails its first attempts, so that attempts, progress and logs can
// be checked through the API against a real worker.
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";

export const INSIGHT_TYPE = "test.insight";

const LineSchema = z
  .object({
    level: z.enum(["debug", "info", "warn", "error"]),
    message: z.string(),
    fields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export default [
  {
    type: INSIGHT_TYPE,
    description:
      "Writes `lines` (each attempt), then `repeat` more lines of `repeatBytes` characters, reports `progress` values `progressEveryMs` apart, waits `ms` (or `waitFor` the job's signal), and fails its first `failAttempts` attempts.",
    resultType: "json",
    payloadSchema: z
      .object({
        lines: z.array(LineSchema).default([]),
        repeat: z.number().int().min(0).max(50_000).default(0),
        repeatBytes: z.number().int().min(0).max(10_000).default(10),
        progress: z.array(z.number()).default([]),
        progressTotal: z.number().optional(),
        progressEveryMs: z.number().int().min(0).max(10_000).default(0),
        ms: z.number().int().min(0).max(600_000).default(0),
        failAttempts: z.number().int().min(0).max(5).default(0),
      })
      .strict(),
    maxAttempts: 5,
    timeoutMs: 600_000,
    async handler(payload, { attempt, signal, log, progress }) {
      for (const line of payload.lines) log(line.level, line.message, line.fields);
      for (let i = 0; i < payload.repeat; i++) log("debug", `${i}:`.padEnd(payload.repeatBytes, "x"));
      for (const value of payload.progress) {
        progress(value, payload.progressTotal ?? null, `at ${value}`);
        if (payload.progressEveryMs > 0) await delay(payload.progressEveryMs, undefined, { signal });
      }
      if (payload.ms > 0) await delay(payload.ms, undefined, { signal });
      if (attempt <= payload.failAttempts)
        throw Object.assign(new Error(`attempt ${attempt} was told to fail`), { code: "TOLD_TO_FAIL" });
      return { result: { attempt } };
    },
  },
];
