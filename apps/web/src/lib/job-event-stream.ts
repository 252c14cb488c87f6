/**
 * GET /v1/events (docs/api.md §9.6), read with fetch: EventSource cannot send the Authorization header, and
 * ts-rest cannot model a stream, so this one route is outside the `tsr` hooks. Every other route
 * goes through the contract's hooks in the feature hooks.
 */
import {
  BULK_OPERATION_EVENT,
  BulkOperationSchema,
  EVENTS_PATH,
  JOB_EVENT,
  JobSchema,
  LOG_EVENT,
  LogEventDataSchema,
  type BulkOperation,
  type Job,
  type LogEventData,
} from "@jobdeck/contract";
import { authorizedFetch } from "./api-client";
import { SseParser } from "./sse";

// Strips fields this build does not know rather than refusing the job: a newer server may add some.
const JobBodySchema = JobSchema.strip();
const BulkOperationBodySchema = BulkOperationSchema.strip();
const LogLineBodySchema = LogEventDataSchema.strip();

/** The server refused the stream: the same `status` and `body` that ts-rest's hooks throw. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export type EventStreamHandlers = {
  onOpen: () => void;
  onJob: (job: Job) => void;
  /** A job's log line (§14's `log` events). */
  onLog?: (line: LogEventData) => void;
  /** §15: a bulk operation's progress (at least once a second while it runs, and at its end). */
  onBulkOperation?: (operation: BulkOperation) => void;
  /** The stream's position moved (after the jobs that came before it): what Last-Event-ID resumes from. */
  onPosition: (lastEventId: string) => void;
};

/**
 * Reads the stream until the server ends it or `signal` aborts; resolves with the reconnection
 * delay the server asked for, if any. Rejects with a StreamRefused when the server answers an
 * error, and with fetch's own error when the network fails.
 */
export async function streamJobEvents(
  { lastEventId, signal }: { lastEventId: string | undefined; signal: AbortSignal },
  { onOpen, onJob, onLog, onPosition, onBulkOperation }: EventStreamHandlers,
): Promise<{ retryMs: number | undefined }> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const response = await authorizedFetch(EVENTS_PATH, { headers, signal, cache: "no-store" });
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new StreamRefused(response.status, body);
  }
  onOpen();
  const parser = new SseParser();
  let position = lastEventId;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.feed(value)) {
        if (event.event !== JOB_EVENT && event.event !== LOG_EVENT && event.event !== BULK_OPERATION_EVENT)
          continue;
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          continue;
        }
        if (event.event === BULK_OPERATION_EVENT) {
          const operation = BulkOperationBodySchema.safeParse(data);
          if (operation.success) onBulkOperation?.(operation.data);
          continue;
        }
        if (event.event === LOG_EVENT) {
          const line = LogLineBodySchema.safeParse(data);
          if (line.success) onLog?.(line.data);
          continue;
        }
        const parsed = JobBodySchema.safeParse(data);
        if (parsed.success) onJob(parsed.data);
      }
      if (parser.lastEventId !== undefined && parser.lastEventId !== position) {
        position = parser.lastEventId;
        onPosition(position);
      }
    }
  } finally {
    reader.releaseLock();
  }
  return { retryMs: parser.retryMs };
}
