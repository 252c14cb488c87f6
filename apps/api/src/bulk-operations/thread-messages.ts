import type { Config } from "../config.js";
import type { SignalChannel } from "../db/signals.js";

/** Every channel a thread's commits may signal on (db/dialect/types.ts's SignalChannel). */
export const SIGNAL_CHANNELS = [
  "jobs",
  "events",
  "cancel",
  "webhooks",
  "schedules",
  "bulk",
] as const satisfies readonly SignalChannel[];

/** What the bulk thread is started with: plain data, as workerData must be. */
export type ThreadSettings = Pick<
  Config,
  "databaseUrl" | "logLevel" | "jobTypesModule" | "httpRequestAllowPrivate"
> & {
  id: string;
  leaseMs: number;
  chunkTargetMs: number | undefined;
  /** Where JOB_TYPES_MODULE is resolved from: the main thread's working directory. */
  cwd: string;
};

export type ToThread =
  | { kind: "start" }
  | { kind: "stop" }
  | { kind: "signal"; channel: (typeof SIGNAL_CHANNELS)[number]; payload: string };

export type FromThread =
  | { kind: "signal"; channel: (typeof SIGNAL_CHANNELS)[number]; payload: string }
  | { kind: "idle" }
  | { kind: "stopped" }
  | { kind: "failed"; message: string };
