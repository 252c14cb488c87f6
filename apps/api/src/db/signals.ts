import { EventEmitter } from "node:events";
import pg from "pg";
import type { Logger } from "pino";
import type { Provider } from "./database.js";

/**
 * Wake-up calls between the parts of jobdeck that share a database: "a job can be claimed",
 * "events were written", "this job's cancellation was requested". They carry no data that matters
 * (the database does), so a missed or duplicated signal costs at most a poll interval.
 *
 * Every process hears its own signals at once. On PostgreSQL a dedicated connection LISTENs, so
 * signals from other processes (sent with NOTIFY in the writing transaction, see job-store.ts)
 * arrive too; SQLite has no such channel, and other processes are seen by polling.
 */

export type SignalChannel = "jobs" | "events" | "cancel";

/** The PostgreSQL channel names: NOTIFY in job-store.ts sends on these. */
export const PG_CHANNELS: Record<SignalChannel, string> = {
  jobs: "jobdeck_jobs",
  events: "jobdeck_events",
  cancel: "jobdeck_cancel",
};

export type Signals = {
  /** Listener receives the payload: a job id for "cancel", "" when it may concern any job. */
  on(channel: SignalChannel, listener: (payload: string) => void): () => void;
  /** Tells this process only; the store notifies other processes within its transactions. */
  emit(channel: SignalChannel, payload?: string): void;
  /** Whether signals from other processes arrive (PostgreSQL with its listener connected). */
  isCrossProcess(): boolean;
  close(): Promise<void>;
};

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export function openSignals(database: { provider: Provider; location: string }, logger: Logger): Signals {
  const emitter = new EventEmitter();
  // Every SSE connection and worker slot may listen; the default limit of 10 is for leak detection.
  emitter.setMaxListeners(0);
  const emit = (channel: SignalChannel, payload = "") => {
    emitter.emit(channel, payload);
  };
  const on = (channel: SignalChannel, listener: (payload: string) => void) => {
    emitter.on(channel, listener);
    return () => {
      emitter.off(channel, listener);
    };
  };
  if (database.provider === "sqlite") {
    return { on, emit, isCrossProcess: () => false, close: () => Promise.resolve() };
  }

  const channelByName = new Map(
    Object.entries(PG_CHANNELS).map(([channel, name]) => [name, channel as SignalChannel]),
  );
  let client: pg.Client | undefined;
  let isConnected = false;
  let isClosed = false;
  let retryMs = RECONNECT_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (isClosed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: database.location, application_name: "jobdeck-listen" });
    let isLost = false;
    const lost = (error?: unknown) => {
      if (isLost) return;
      isLost = true;
      if (client === next) {
        client = undefined;
        isConnected = false;
      }
      if (!isClosed) logger.warn({ err: error }, "lost the PostgreSQL notification connection; reconnecting");
      next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on("error", lost);
    next.on("end", () => lost());
    next.on("notification", (message) => {
      const channel = channelByName.get(message.channel);
      if (channel) emit(channel, message.payload ?? "");
    });
    try {
      await next.connect();
      for (const name of Object.values(PG_CHANNELS)) await next.query(`LISTEN ${name}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (isClosed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    isConnected = true;
    retryMs = RECONNECT_MIN_MS;
    // Whatever was sent while nobody listened is lost: wake everything up to look for itself.
    for (const channel of Object.keys(PG_CHANNELS) as SignalChannel[]) emit(channel, "");
  };
  void connect();

  return {
    on,
    emit,
    isCrossProcess: () => isConnected,
    close: async () => {
      isClosed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      isConnected = false;
      await current?.end().catch(() => undefined);
    },
  };
}
