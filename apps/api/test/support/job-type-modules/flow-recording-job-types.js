// A job type for the flow-control tests (§11): every attempt writes down its start and its end, so
// that limits are checked over the whole record of what ran, retries and crashed attempts
// included, never from one sample. Loaded with JOB_TYPES_MODULE by worker processes, which append
// to a file of their own (FLOW_RECORD_DIR/<pid>.jsonl: no two writers share a file), or imported by
// in-process workers with a recorder of their own.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";

export const FLOW_TYPE = "test.flow";

/** Appends one JSON line per entry to `<dir>/<pid>.jsonl`, synchronously: a start is on disk before the handler goes on, so a SIGKILL cannot lose it. */
export function fileRecorder(dir) {
  const file = join(dir, `${process.pid}.jsonl`);
  return (entry) => appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/**
 * The `test.flow` type, writing with `record`. `worker` names who runs it in the record;
 * `isCrashed()`, when it says true, makes the handler behave as a killed process would: it writes
 * nothing more and never returns on its own.
 */
export function flowJobTypes({ record, worker = String(process.pid), isCrashed = () => false }) {
  const write = (entry) => {
    if (!isCrashed()) record({ ...entry, worker, at: Date.now() });
  };
  return [
    {
      type: FLOW_TYPE,
      description:
        "Records its start and end, sleeping `ms` in between (`firstAttemptMs` on the first attempt); the first `failAttempts` attempts fail.",
      resultType: "json",
      payloadSchema: z
        .object({
          ms: z.number().int().min(0).max(600_000).default(0),
          firstAttemptMs: z.number().int().min(0).max(600_000).optional(),
          failAttempts: z.number().int().min(0).max(5).default(0),
        })
        .strict(),
      maxAttempts: 10,
      timeoutMs: 600_000,
      async handler({ ms, firstAttemptMs, failAttempts }, { jobId, attempt, signal }) {
        if (isCrashed()) return new Promise(() => undefined);
        write({ event: "start", jobId, attempt });
        const wait = attempt === 1 && firstAttemptMs !== undefined ? firstAttemptMs : ms;
        try {
          if (wait > 0) await delay(wait, undefined, { signal });
        } catch (error) {
          write({ event: "end", jobId, attempt, outcome: "aborted" });
          throw error;
        }
        // A crashed process never gets here; an in-process "crash" must not either.
        if (isCrashed()) return new Promise(() => undefined);
        if (attempt <= failAttempts) {
          write({ event: "end", jobId, attempt, outcome: "failed" });
          throw Object.assign(new Error(`attempt ${attempt} fails on purpose`), {
            code: "FAILED_ON_PURPOSE",
          });
        }
        write({ event: "end", jobId, attempt, outcome: "completed" });
        return { result: { worker } };
      },
    },
  ];
}

const dir = process.env.FLOW_RECORD_DIR;
export default flowJobTypes({ record: dir ? fileRecorder(dir) : () => undefined });
