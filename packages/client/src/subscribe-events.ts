import { EVENTS_PATH, JOB_EVENT, LOG_EVENT, type Job, type LogEventData } from "@jobdeck/contract";
import { JobdeckError } from "./errors.js";
import { BULK_OPERATION_EVENT, type BulkOperation } from "./events.js";
import { authorization, type Transport } from "./fetcher.js";
import { sleep } from "./retry-policy.js";
import { SseParser, type ServerSentEvent } from "./sse-parser.js";

/** Where an event sits in the stream: pass `id` back as `lastEventId` to resume after it. */
export type EventContext = { id: string | undefined };

export type SubscribeOptions = {
  /** Resume after this event (a previous subscription's `lastEventId`): what was missed comes first. */
  lastEventId?: string | undefined;
  /** §15's filters (the list's query parameters as strings), for servers whose stream takes them. */
  filters?: Record<string, string>;
  /** A job changed: the job as it is now. */
  onJob?: (job: Job, context: EventContext) => void;
  /** A job logged a line (§14). */
  onLog?: (line: LogEventData, context: EventContext) => void;
  /** A bulk operation moved on (§15). */
  onBulkOperation?: (operation: BulkOperation, context: EventContext) => void;
  /** Every event, any kind, as received (`ready` included). */
  onEvent?: (event: ServerSentEvent) => void;
  /** The stream is open: first, and after every reconnect. */
  onOpen?: () => void;
  /**
   * The stream failed or ended. With `willReconnect` it is opened again after `delayMs`, resuming
   * after the last event; without (401, 404, a 400 of the filters) the subscription is over.
   */
  onError?: (error: JobdeckError, state: { willReconnect: boolean; delayMs?: number }) => void;
  /** Ends the subscription, as close() does. */
  signal?: AbortSignal;
  /** Reconnection delays: from the server's `retry:` (else 1 s), doubling per failure up to 30 s. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** A stream silent this long (the server sends a heartbeat every 15 s) is taken as dead. Default 45 s. */
  idleTimeoutMs?: number;
};

export type Subscription = {
  /** Stops for good: no reconnect, no more callbacks. */
  close(): void;
  /** The id of the last complete event: where a new subscription would resume. */
  readonly lastEventId: string | undefined;
  /** Settles once the subscription is over (closed, aborted, or a failure it does not retry). */
  readonly closed: Promise<void>;
};

const DEFAULT_MIN_DELAY_MS = 1_000;
const DEFAULT_MAX_DELAY_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** Answers that a reconnect would only get again. */
const isFatal = (error: JobdeckError) => [400, 401, 403, 404, 405].includes(error.status);

function asJobdeckError(error: unknown): JobdeckError {
  if (error instanceof JobdeckError) return error;
  return new JobdeckError(
    { status: 0, code: "NETWORK_ERROR", message: `the event stream failed: ${(error as Error).message}` },
    { cause: error },
  );
}

/** A handler that throws is the caller's bug: it surfaces as an uncaught error, the stream goes on. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function dispatch(event: ServerSentEvent, options: SubscribeOptions): void {
  if (options.onEvent) safely(() => options.onEvent!(event));
  const context = { id: event.id };
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  if (event.event === JOB_EVENT && options.onJob) safely(() => options.onJob!(data as Job, context));
  else if (event.event === LOG_EVENT && options.onLog)
    safely(() => options.onLog!(data as LogEventData, context));
  else if (event.event === BULK_OPERATION_EVENT && options.onBulkOperation)
    safely(() => options.onBulkOperation!(data as BulkOperation, context));
}

/**
 * GET /v1/events, kept open: read with fetch (any runtime), parsed as it arrives, and opened again
 * after any failure with `Last-Event-ID`, so that the server replays what was missed (each event
 * once, in order) and no change is lost across a reconnect or a server restart.
 */
export function subscribeEvents(
  transport: Transport,
  baseUrl: string,
  options: SubscribeOptions,
): Subscription {
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const query = new URLSearchParams(options.filters ?? {}).toString();
  const url = `${baseUrl}${EVENTS_PATH}${query ? `?${query}` : ""}`;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  let lastEventId = options.lastEventId;
  let serverRetryMs: number | undefined;
  /** Whether the last connection got as far as an open stream (then its failure starts the backoff anew). */
  let hasOpened = false;

  /** One connection, until it ends (resolves) or fails (throws). */
  const connect = async (): Promise<void> => {
    const attempt = new AbortController();
    const abortAttempt = () => attempt.abort(stop.signal.reason);
    stop.signal.addEventListener("abort", abortAttempt, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () =>
          attempt.abort(
            new JobdeckError({
              status: 0,
              code: "NETWORK_ERROR",
              message: `the event stream sent nothing for ${idleTimeoutMs} ms`,
            }),
          ),
        idleTimeoutMs,
      );
    };
    try {
      armIdle();
      const headers: Record<string, string> = {
        ...transport.headers,
        accept: "text/event-stream",
        authorization: await authorization(transport.token),
      };
      if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
      const response = await transport.fetch(url, { headers, signal: attempt.signal });
      if (!response.ok || response.body === null) {
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not the API's error body: fromResponse says so
        }
        throw JobdeckError.fromResponse(response.status, body, response.headers, `GET ${EVENTS_PATH}`);
      }
      hasOpened = true;
      if (options.onOpen) safely(options.onOpen);
      const parser = new SseParser(lastEventId);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          armIdle();
          for (const event of parser.feed(value)) {
            lastEventId = event.id;
            if (stop.signal.aborted) return;
            dispatch(event, options);
          }
          // An id sent without data (a position) moves it too.
          lastEventId = parser.lastEventId;
          serverRetryMs = parser.retryMs ?? serverRetryMs;
        }
      } finally {
        reader.releaseLock();
      }
    } catch (error) {
      // An idle timeout aborts with its own error; fetch rethrows the reason, or an AbortError.
      throw attempt.signal.aborted && !stop.signal.aborted ? asJobdeckError(attempt.signal.reason) : error;
    } finally {
      clearTimeout(idle);
      stop.signal.removeEventListener("abort", abortAttempt);
      if (!attempt.signal.aborted) attempt.abort();
    }
  };

  const run = async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      let error: JobdeckError;
      hasOpened = false;
      try {
        await connect();
        error = new JobdeckError({ status: 0, code: "NETWORK_ERROR", message: "the event stream ended" });
      } catch (thrown) {
        if (stop.signal.aborted) break;
        error = asJobdeckError(thrown);
        if (isFatal(error)) {
          if (options.onError) safely(() => options.onError!(error, { willReconnect: false }));
          break;
        }
      }
      failures = hasOpened ? 1 : failures + 1;
      const base = options.reconnect?.minDelayMs ?? serverRetryMs ?? DEFAULT_MIN_DELAY_MS;
      const delayMs = Math.round(
        Math.min(maxDelayMs, base * 2 ** (failures - 1)) * (0.8 + 0.4 * Math.random()),
      );
      if (options.onError) safely(() => options.onError!(error, { willReconnect: true, delayMs }));
      await sleep(delayMs, stop.signal).catch(() => undefined);
    }
    options.signal?.removeEventListener("abort", onAbort);
  };

  const closed = run();
  return {
    close: () => stop.abort(),
    get lastEventId() {
      return lastEventId;
    },
    closed,
  };
}
