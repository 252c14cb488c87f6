/**
 * R6's "start" of a job: the first thing its handler does, on CLOCK_MONOTONIC (process.hrtime),
 * which is one clock for every process on the machine, so the bench can subtract the enqueue time
 * it took in its own process. R5's jobs do not report: a no-op does nothing at all.
 */
export type NoopPayload = { n: number; report?: boolean };

export function reportStart(payload: NoopPayload): void {
  if (payload.report) process.stdout.write(`started ${payload.n} ${process.hrtime.bigint()}\n`);
}
