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
    handler: async ({ ms }, { signal, progress }) => {
        // Elapsed time as progress (§14): the reporter coalesces to 4 writes a second, so ticking at
        // that pace costs nothing more.
        const started = Date.now();
        const ticker = setInterval(() => progress(Math.min(ms, Date.now() - started), ms, "ms elapsed"), 250);
        try {
            await delay(ms, undefined, { signal });
        }
        finally {
            clearInterval(ticker);
        }
        progress(ms, ms, "ms elapsed");
        return { result: { sleptMs: ms } };
    },
});
//# sourceMappingURL=sleep.js.map