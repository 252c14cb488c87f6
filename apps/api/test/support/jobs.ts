import { setTimeout as delay } from "node:timers/promises";
import { isEnded, JOB_EVENT, JobResponseSchema, JobSchema, READY_EVENT, type Job } from "@jobdeck/contract";
import { expect } from "vitest";
import { postJson, type TestServer } from "./server.js";

/** POST /v1/jobs, expecting 201. */
export async function createJob(
  server: TestServer,
  token: string,
  type: string,
  payload: unknown,
): Promise<Job> {
  const response = await server.request("/v1/jobs", postJson({ type, payload }, token));
  expect(response.status, response.text).toBe(201);
  return JobResponseSchema.parse(response.body).data;
}

/** GET /v1/jobs/{id}, expecting 200. */
export async function fetchJob(server: TestServer, token: string, id: string): Promise<Job> {
  const response = await server.request(`/v1/jobs/${id}`, { token });
  expect(response.status, response.text).toBe(200);
  return JobResponseSchema.parse(response.body).data;
}

/**
 * Polls the job through the API until `until` holds (by default: it has ended). Generous timeout.
 * Every 25 ms at first, then less often (up to 100 ms): a long wait at 25 ms would spend the
 * default 600 requests a minute of the user in 15 s.
 */
export async function waitForJob(
  server: TestServer,
  token: string,
  id: string,
  until: (job: Job) => boolean = (job) => isEnded(job.status),
  timeoutMs = 30_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 25; ; pause = Math.min(pause * 1.5, 100)) {
    const job = await fetchJob(server, token, id);
    if (until(job)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${id} did not reach the expected state: ${JSON.stringify(job)}`);
    await delay(pause);
  }
}

export type StreamEvent = { id: string | undefined; event: string | undefined; data: string };

/**
 * A fetch-based SSE client, like the dashboard's: reads events and comment lines as they come.
 * `next` waits for the next event that matches.
 */
export async function openEventStream(
  server: TestServer,
  token: string | undefined,
  headers: Record<string, string> = {},
  /** A query string (§15's filters), without the `?`. */
  query = "",
) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/v1/events${query ? `?${query}` : ""}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let waiters: (() => void)[] = [];
  let isDone = false;
  const notify = () => {
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };
  const pump = async () => {
    if (!response.body || response.status !== 200) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: StreamEvent = { id: undefined, event: undefined, data: "" };
          let hasData = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line.slice(1).trim());
            else if (line.startsWith("id: ")) event.id = line.slice(4);
            else if (line.startsWith("event: ")) event.event = line.slice(7);
            else if (line.startsWith("data: ")) {
              event.data += line.slice(6);
              hasData = true;
            }
          }
          if (hasData) events.push(event);
        }
        notify();
      }
    } catch {
      // aborted by close()
    } finally {
      isDone = true;
      notify();
    }
  };
  void pump();

  let cursor = 0;
  return {
    response,
    events,
    comments,
    /** The next `job` event (after those already taken) whose Job matches; other kinds are passed over. */
    async next(
      match: (job: Job) => boolean = () => true,
      timeoutMs = 15_000,
    ): Promise<{ id: number; job: Job }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < events.length) {
          const event = events[cursor++]!;
          // Other kinds of the same stream (§14's `log`, …) are not job events.
          if (event.event !== JOB_EVENT) continue;
          const job = JobSchema.parse(JSON.parse(event.data));
          if (match(job)) return { id: Number(event.id), job };
        }
        if (isDone) throw new Error("the event stream ended");
        if (Date.now() > deadline) throw new Error("no matching event arrived in time");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    /** The id of the `ready` event the stream opened with (undefined when it resumed instead). */
    async readyId(timeoutMs = 10_000): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ready = events.find((e) => e.event === READY_EVENT);
        if (ready) return Number(ready.id);
        if (isDone || Date.now() > deadline) throw new Error("no ready event");
        await delay(20);
      }
    },
    /** Waits until the stream has ended (the server closed it). */
    async ended(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!isDone) {
        if (Date.now() > deadline) throw new Error("the event stream is still open");
        await delay(20);
      }
    },
    close() {
      controller.abort();
    },
  };
}
