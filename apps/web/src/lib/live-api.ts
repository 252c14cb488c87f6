/**
 * TEMPORARY — routes of the "Running jobs" issue that @jobdeck/contract does not declare yet
 * (cancel, retry, stats, events) and the binary artifact download. Their shapes follow
 * ../shared/spec/jobs-api.md §9. When the contract gains a route, replace its function here with
 * the contract's `tsr` hook in the feature hook that calls it (use-job-actions.ts,
 * use-job-stats.ts); events and artifacts stay here, since they are a stream and bytes.
 *
 * Errors carry `status` and `body` like the responses ts-rest throws, so `toProblem` reads both
 * alike. A 404 from these routes means the server does not have them yet: callers degrade.
 */
import { JOB_STATUSES, JobSchema, type Job, type JobStatus } from "@jobdeck/contract";
import { authorizedFetch } from "./api-client";
import { SseParser } from "./sse";

// Strips fields this build does not know rather than refusing the job: a newer server may add some.
const JobBodySchema = JobSchema.strip();

export type JobStats = { total: number; byStatus: Record<JobStatus, number> };

/** A non-2xx answer, with the same `status` and `body` that ts-rest's hooks throw. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export const isNotFound = (error: unknown) => (error as { status?: unknown } | null)?.status === 404;

// Routes that answered 404: this server does not have them, so they are not asked again until the
// page is reloaded (the server may have been upgraded by then).
const missingRoutes = new Set<"stats">();
export const hasStatsRoute = () => !missingRoutes.has("stats");

async function failure(response: Response): Promise<HttpFailure> {
  const body: unknown = await response.json().catch(() => undefined);
  return new HttpFailure(response.status, body);
}

async function send(path: string, init: RequestInit): Promise<unknown> {
  const response = await authorizedFetch(path, init);
  if (!response.ok) throw await failure(response);
  return ((await response.json()) as { data: unknown }).data;
}

const jobPath = (jobId: string, action: string) => `/v1/jobs/${encodeURIComponent(jobId)}/${action}`;

/** POST /v1/jobs/:id/cancel → the job, now cancelled (or cancelling); 409 once it has ended. */
export async function cancelJob(jobId: string): Promise<Job> {
  return JobBodySchema.parse(await send(jobPath(jobId, "cancel"), { method: "POST" }));
}

/** POST /v1/jobs/:id/retry → a new job with the same type and payload; 409 until the original ended. */
export async function retryJob(jobId: string): Promise<Job> {
  return JobBodySchema.parse(await send(jobPath(jobId, "retry"), { method: "POST" }));
}

/** GET /v1/jobs/stats?<list filters, without limit, cursor or sort> → counts by status. */
export async function fetchJobStats(query: Record<string, string | undefined>, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, value);
  }
  const data = (await send(`/v1/jobs/stats?${params.toString()}`, { signal }).catch((error: unknown) => {
    if (isNotFound(error)) missingRoutes.add("stats");
    throw error;
  })) as Partial<JobStats> | null;
  const byStatus = Object.fromEntries(
    JOB_STATUSES.map((status) => [status, Number(data?.byStatus?.[status] ?? 0)]),
  ) as Record<JobStatus, number>;
  return { total: Number(data?.total ?? 0), byStatus } satisfies JobStats;
}

/** GET /v1/jobs/:id/artifact → the bytes of an image (or other binary) result. */
export async function fetchArtifact(jobId: string, signal?: AbortSignal): Promise<Blob> {
  const response = await authorizedFetch(jobPath(jobId, "artifact"), { signal });
  if (!response.ok) throw await failure(response);
  return response.blob();
}

export type EventStreamHandlers = {
  onOpen: () => void;
  /** Each `job` event, with its id (what Last-Event-ID resumes from). */
  onJob: (job: Job, eventId: string | undefined) => void;
};

/**
 * Reads GET /v1/events until the server ends it or `signal` aborts; resolves with the reconnection
 * delay the server asked for, if any. Rejects with `{ status }` when the server refuses the stream.
 */
export async function streamJobEvents(
  { lastEventId, signal }: { lastEventId: string | undefined; signal: AbortSignal },
  { onOpen, onJob }: EventStreamHandlers,
): Promise<{ retryMs: number | undefined }> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const response = await authorizedFetch("/v1/events", { headers, signal, cache: "no-store" });
  if (!response.ok || !response.body) throw await failure(response);
  onOpen();
  const parser = new SseParser();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.feed(value)) {
        if (event.event !== "job") continue;
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          continue;
        }
        const parsed = JobBodySchema.safeParse(data);
        if (parsed.success) onJob(parsed.data, event.id);
      }
    }
  } finally {
    reader.releaseLock();
  }
  return { retryMs: parser.retryMs };
}
