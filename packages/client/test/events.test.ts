import { JobSchema, type Job } from "@jobdeck/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, JobdeckError, type JobdeckClient, type Subscription } from "../src/index.js";
import { startApiServer, testProviders, type ApiServer } from "./support/api-server.js";

/** Resolves once `predicate` holds, checked every 20 ms; fails after `timeoutMs`. */
async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const createEcho = async (client: JobdeckClient, payload: object) =>
  (await client.jobs.createJob({ body: { type: "echo", payload } })).body.data;

describe.each(await testProviders())("events and waiting on %s", (provider) => {
  let server: ApiServer;
  const clientFor = (sub: string, options: Partial<Parameters<typeof createClient>[0]> = {}) =>
    createClient({ url: server.url, token: server.token(sub), ...options });

  beforeAll(async () => {
    server = await startApiServer(provider, { WORKER_CONCURRENCY: "2" });
  });
  afterAll(() => server?.close());

  it("delivers each change of the caller's jobs as a job event, and resumes after lastEventId", async () => {
    const client = clientFor("subscriber");
    const seen: Job[] = [];
    let opened = 0;
    const first = client.events.subscribe({
      onJob: (job) => seen.push(JobSchema.parse(job)),
      onOpen: () => opened++,
    });
    await until(() => opened === 1 && first.lastEventId !== undefined, "the stream's ready event");
    const job = await createEcho(client, { step: 1 });
    await until(() => seen.some((event) => event.id === job.id && event.status === "completed"), "completed");
    expect(seen.filter((event) => event.id === job.id).map((event) => event.status)).toEqual([
      "pending",
      "running",
      "completed",
    ]);
    first.close();
    await first.closed;
    const resumeFrom = first.lastEventId;

    const missed = await createEcho(client, { step: 2 });
    await client.jobs.waitFor(missed.id, { timeoutMs: 15_000 });
    const replayed: Job[] = [];
    const second = client.events.subscribe({
      lastEventId: resumeFrom,
      onJob: (event) => replayed.push(event),
    });
    await until(() => replayed.some((event) => event.status === "completed"), "the replay");
    second.close();
    expect(replayed.map((event) => [event.id, event.status])).toEqual([
      [missed.id, "pending"],
      [missed.id, "running"],
      [missed.id, "completed"],
    ]);
    expect(Number(second.lastEventId)).toBeGreaterThan(Number(resumeFrom));
  });

  it("sees no other user's jobs", async () => {
    const ids: string[] = [];
    let opened = 0;
    const subscription = clientFor("carol").events.subscribe({
      onJob: (job) => ids.push(job.id),
      onOpen: () => opened++,
    });
    // A new stream starts from now: carol's create must come after it is open.
    await until(() => opened === 1, "the stream to open");
    await createEcho(clientFor("dave"), { private: true });
    const own = await createEcho(clientFor("carol"), { own: true });
    await until(() => ids.includes(own.id), "carol's job");
    subscription.close();
    expect(new Set(ids)).toEqual(new Set([own.id]));
  });

  it("ends a subscription the server refuses (401) without reconnecting", async () => {
    const errors: [JobdeckError, boolean][] = [];
    const subscription = createClient({ url: server.url, token: "expired" }).events.subscribe({
      onError: (error, { willReconnect }) => errors.push([error, willReconnect]),
    });
    await subscription.closed;
    expect(errors.map(([error, again]) => [error.status, error.code, again])).toEqual([
      [401, "UNAUTHORIZED", false],
    ]);
  });

  it("waitFor resolves with the ended job: one that ends later, and one that has ended already", async () => {
    const client = clientFor("waiter");
    const slow = (await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 300 } } })).body.data;
    const ended = await client.jobs.waitFor(slow.id, { timeoutMs: 15_000 });
    expect(JobSchema.parse(ended)).toMatchObject({
      id: slow.id,
      status: "completed",
      result: { sleptMs: 300 },
    });

    const again = await client.jobs.waitFor(slow.id, { timeoutMs: 5_000 });
    expect(again).toEqual(ended);
  });

  it("waitFor rejects with TIMEOUT, with the signal's reason, and with NOT_FOUND", async () => {
    const client = clientFor("waiter");
    const long = (await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 60_000 } } })).body
      .data;
    const timedOut = await client.jobs.waitFor(long.id, { timeoutMs: 300 }).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(JobdeckError);
    expect(timedOut).toMatchObject({ code: "TIMEOUT", status: 0 });

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("operator pressed ^C")), 100);
    await expect(client.jobs.waitFor(long.id, { signal: controller.signal })).rejects.toThrow(
      "operator pressed ^C",
    );

    await expect(clientFor("someone-else").jobs.waitFor(long.id, { timeoutMs: 5_000 })).rejects.toMatchObject(
      { code: "NOT_FOUND", status: 404 },
    );
    await client.jobs.cancelJob({ params: { jobId: long.id } });
  });

  it("waitFor falls back to polling when the event stream cannot be opened", async () => {
    const requests: string[] = [];
    const noStreams: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      requests.push(new URL(url).pathname);
      if (url.includes("/v1/events"))
        return Promise.reject(new TypeError("fetch failed: blocked by a proxy"));
      return fetch(input, init);
    };
    const client = clientFor("poller", { fetch: noStreams });
    const job = (await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 500 } } })).body.data;
    const ended = await client.jobs.waitFor(job.id, { timeoutMs: 15_000, pollIntervalMs: 100 });
    expect(ended.status).toBe("completed");
    expect(requests.filter((path) => path === `/v1/jobs/${job.id}`).length).toBeGreaterThan(1);
  });

  it("reconnects after the server restarts, and loses no change made meanwhile", async () => {
    const client = clientFor("restarts");
    const seen: Job[] = [];
    const errors: boolean[] = [];
    /** What happened to the stream, with times, for the message of a failure. */
    const story: string[] = [];
    const started = Date.now();
    const tell = (line: string) => story.push(`${Date.now() - started} ms ${line}`);
    let opened = 0;
    const subscription: Subscription = client.events.subscribe({
      onJob: (job) => {
        seen.push(job);
        tell(`job ${job.id} ${job.status}`);
      },
      onOpen: () => {
        opened++;
        tell("open");
      },
      onError: (error, { willReconnect, delayMs }) => {
        errors.push(willReconnect);
        tell(`error ${error.status} ${error.code} ${error.message}; again in ${delayMs ?? "never"} ms`);
      },
      reconnect: { minDelayMs: 500 },
    });
    await until(() => opened === 1, "the first connection");
    const before = await createEcho(client, { at: "before" });
    await until(
      () => seen.some((job) => job.id === before.id && job.status === "completed"),
      "the first job",
    );
    // A job that waits across the restart: the stopping server hands it back, the new one runs it.
    const across = (await client.jobs.createJob({ body: { type: "sleep", payload: { ms: 1_500 } } })).body
      .data;
    const waiting = client.jobs.waitFor(across.id, { timeoutMs: 30_000, pollIntervalMs: 200 });

    tell("restarting");
    await server.restart();
    tell("restarted");
    // Made before the subscription is back: it must come by replay.
    const after = await createEcho(client, { at: "after" });
    tell(`created ${after.id}`);
    try {
      await until(
        () => seen.some((job) => job.id === after.id && job.status === "completed"),
        "the job after",
      );
    } catch (error) {
      // CI saw this once on PostgreSQL (stop 27) and it did not happen again here: say all there is.
      const now = (await client.jobs.getJob({ params: { jobId: after.id } })).body;
      throw new Error(
        `${(error as Error).message}; the job is now ${JSON.stringify(now)}; last event id ${subscription.lastEventId}\n` +
          `${story.join("\n")}\n--- the server's output ---\n${server.output().slice(-4000)}`,
      );
    }
    expect(opened).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((willReconnect) => willReconnect)).toBe(true);
    expect(seen.filter((job) => job.id === after.id).map((job) => job.status)).toEqual([
      "pending",
      "running",
      "completed",
    ]);
    expect((await waiting).status).toBe("completed");
    subscription.close();
    await subscription.closed;
  });
});
