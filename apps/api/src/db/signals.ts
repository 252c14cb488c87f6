import { EventEmitter } from "node:events";
import type { SignalChannel, SignalListener } from "./dialect/index.js";

export type { SignalChannel } from "./dialect/index.js";

/**
 * Wake-up calls between the parts of jobdeck that share a database: "a job can be claimed",
 * "events were written", "this job's cancellation was requested". They carry no data that matters
 * (the database does), so a missed or duplicated signal costs at most a poll interval.
 *
 * Every process hears its own signals at once, after the commit that caused them. Where the
 * database has a channel between processes (PostgreSQL's LISTEN/NOTIFY, see dialect/), signals
 * from other processes arrive too; elsewhere other processes are seen by polling.
 */
export type Signals = {
  /** Listener receives the payload: a job id for "cancel", a job type or "" for "jobs", "" otherwise. */
  on(channel: SignalChannel, listener: (payload: string) => void): () => void;
  /** Tells this process only; the writer notifies other processes within its transactions. */
  emit: (channel: SignalChannel, payload?: string) => void;
  /** Whether signals from other processes arrive now. */
  isCrossProcess(): boolean;
  close(): Promise<void>;
};

export function createSignals(): Signals & {
  /** Starts hearing other processes through `listen`, once. */
  attach(
    listen: ((emit: (channel: SignalChannel, payload: string) => void) => SignalListener) | undefined,
  ): void;
} {
  const emitter = new EventEmitter();
  // Every SSE connection and worker slot may listen; the default limit of 10 is for leak detection.
  emitter.setMaxListeners(0);
  let listener: SignalListener | undefined;
  const emit = (channel: SignalChannel, payload = "") => {
    emitter.emit(channel, payload);
  };
  return {
    on: (channel, fn) => {
      emitter.on(channel, fn);
      return () => {
        emitter.off(channel, fn);
      };
    },
    emit,
    isCrossProcess: () => listener?.isConnected() ?? false,
    attach: (listen) => {
      listener ??= listen?.(emit);
    },
    close: async () => {
      await listener?.close();
    },
  };
}
