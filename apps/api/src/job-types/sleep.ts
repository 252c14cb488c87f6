import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { defineJobType } from "./types.js";

export const SLEEP_MAX_MS = 600_000;

export const sleepJobType = defineJobType({
  type: "sleep",
  description: "Waits `ms` milliseconds; stops early when cancelled.",
  resultType: "json",
  payloadSchema: z.object({ ms: z.number().int().min(0).max(SLEEP_MAX_MS) }).strict(),
  maxAttempts: 3,
  timeoutMs: SLEEP_MAX_MS + 30_000,
  handler: async ({ ms }, { signal }) => {
    await delay(ms, undefined, { signal });
    return { result: { sleptMs: ms } };
  },
});
