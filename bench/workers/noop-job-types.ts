import { z } from "zod";
import { reportStart } from "./report-start.js";

/**
 * The job type jobdeck runs in R5 and R6 (JOB_TYPES_MODULE): a handler that does nothing, like
 * graphile-worker's task in ./graphile-worker.ts, so that both measure the queue, not the work.
 */
export default [
  {
    type: "bench.noop",
    description: "Does nothing; with `report`, prints when it started (bench R6).",
    resultType: "json",
    payloadSchema: z.object({ n: z.number().int(), report: z.boolean().optional() }).strict(),
    maxAttempts: 3,
    timeoutMs: 10_000,
    handler: (payload: { n: number; report?: boolean }) => {
      reportStart(payload);
      return Promise.resolve({ result: null });
    },
  },
];
