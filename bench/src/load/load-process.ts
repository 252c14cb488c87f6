import { runLatencyHere } from "./latency.js";
import type { LoadMessage, LoadReply } from "./spec.js";
import { runThroughputHere } from "./throughput.js";

/**
 * The load generator: one process on the load core for the whole run, told what to do over IPC
 * (bench/src/load/run-load.ts). Starting a process and loading autocannon for every run cost about
 * half a second each, several minutes of the quick run's budget in all.
 */
process.on("message", (message: LoadMessage) => {
  const work =
    message.spec.kind === "throughput" ? runThroughputHere(message.spec) : runLatencyHere(message.spec);
  work.then(
    (result) => process.send?.({ id: message.id, result } satisfies LoadReply),
    (error: unknown) =>
      process.send?.({ id: message.id, error: (error as Error).stack ?? String(error) } satisfies LoadReply),
  );
});
// The harness ended (or died): nothing left to do.
process.on("disconnect", () => process.exit(0));
