/** The jobs API as a script calls it (Node's fetch, a bearer token): for seeding and for the tests' own moves. */
import type {
  CreateJobBody,
  Job,
  JobStats,
  Queue,
  QueueSettings,
  Schedule,
  WebhookDelivery,
} from "@jobdeck/contract";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local URL where nothing listens: an http.request to it fails at once, on every attempt. */
export async function closedLocalUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export type Api = ReturnType<typeof apiAs>;

export function apiAs(baseUrl: string, token: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { data: T }).data;
  };

  const api = {
    /** POST /v1/jobs; `options` are §11's (queue, priority, runAt, delayMs, keys, dedupe). */
    create: (type: string, payload: unknown, options: Omit<CreateJobBody, "type" | "payload"> = {}) =>
      call<Job>("POST", "/v1/jobs", { type, payload, ...options }),
    queue: (name: string) => call<Queue>("GET", `/v1/queues/${name}`),
    putQueue: (name: string, settings: QueueSettings) => call<Queue>("PUT", `/v1/queues/${name}`, settings),
    pauseQueue: (name: string) => call<Queue>("POST", `/v1/queues/${name}/pause`),
    get: (id: string) => call<Job>("GET", `/v1/jobs/${id}`),
    cancel: (id: string) => call<Job>("POST", `/v1/jobs/${id}/cancel`),
    stats: (query = "") => call<JobStats>("GET", `/v1/jobs/stats${query ? `?${query}` : ""}`),
    /** Jobs matching a list query ("scheduleId=…"), first page, newest first. */
    list: (query: string) => call<Job[]>("GET", `/v1/jobs?limit=100&${query}`),
    schedules: () => call<Schedule[]>("GET", "/v1/schedules?limit=100"),
    pauseSchedule: (id: string) => call<Schedule>("POST", `/v1/schedules/${id}/pause`),
    /** DELETE answers 204 without a body. */
    async deleteSchedule(id: string): Promise<void> {
      const response = await fetch(`${baseUrl}/v1/schedules/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 204) throw new Error(`DELETE schedule ${id}: HTTP ${response.status}`);
    },
    deliveries: (webhookId: string) =>
      call<WebhookDelivery[]>("GET", `/v1/webhooks/${webhookId}/deliveries?limit=100`),

    /** Every job of the user, newest first. */
    async all(): Promise<Job[]> {
      const jobs: Job[] = [];
      let cursor: string | null = null;
      do {
        const page = await fetch(
          `${baseUrl}/v1/jobs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        const body = (await page.json()) as { data: Job[]; pagination: { nextCursor: string | null } };
        jobs.push(...body.data);
        cursor = body.pagination.nextCursor;
      } while (cursor);
      return jobs;
    },

    /** Polls until `isDone(value)`; throws with the last value after `timeoutMs`. */
    async until<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await read();
        if (isDone(value)) return value;
        if (Date.now() > deadline)
          throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    /** Waits for the job to reach `status`. */
    waitForStatus: (id: string, status: Job["status"], timeoutMs?: number) =>
      api.until(
        () => api.get(id),
        (job) => job.status === status,
        timeoutMs,
      ),
  };
  return api;
}
