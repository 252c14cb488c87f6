import {
  ErrorBodySchema,
  EXPORT_CSV_COLUMNS,
  JobResponseSchema,
  JobSchema,
  ListJobsResponseSchema,
  QueueResponseSchema,
} from "@jobdeck/contract";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, JobdeckError, type JobdeckClient } from "../src/index.js";
import { startApiServer, testProviders, type ApiServer } from "./support/api-server.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING_JOB = "0190f7a0-0000-7000-8000-000000000000";

/** The error a call rejects with (the test fails when it resolves). */
async function failure(call: Promise<unknown>): Promise<JobdeckError> {
  const outcome = await call.then(
    () => new Error("resolved, expected a JobdeckError"),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(JobdeckError);
  return outcome as JobdeckError;
}

describe.each(await testProviders())("the client's routes on %s", (provider) => {
  let server: ApiServer;
  let jobdeck: JobdeckClient;
  const clientFor = (sub: string, options: Partial<Parameters<typeof createClient>[0]> = {}) =>
    createClient({ url: server.url, token: server.token(sub), ...options });

  beforeAll(async () => {
    server = await startApiServer(provider);
    jobdeck = clientFor("alice");
  });
  afterAll(() => server?.close());

  it("creates a job and reads it back, typed and shaped by the contract", async () => {
    const created = await jobdeck.jobs.createJob({ body: { type: "echo", payload: { hello: "world" } } });
    expect(created.status).toBe(201);
    const { data: job } = JobResponseSchema.parse(created.body);
    expect(job).toMatchObject({ type: "echo", status: "pending", payload: { hello: "world" } });

    const read = await jobdeck.jobs.getJob({ params: { jobId: job.id } });
    expect(read.status).toBe(200);
    expect(JobResponseSchema.parse(read.body).data.id).toBe(job.id);
  });

  it("throws one JobdeckError carrying the §3 body: status, code, message, details, requestId", async () => {
    const notFound = await failure(jobdeck.jobs.getJob({ params: { jobId: MISSING_JOB } }));
    expect(notFound.status).toBe(404);
    expect(notFound.code).toBe("NOT_FOUND");
    expect(ErrorBodySchema.parse(notFound.body)).toEqual({
      success: false,
      error: { code: "NOT_FOUND", message: notFound.message },
      requestId: notFound.requestId,
    });
    expect(notFound.requestId).toMatch(/\S/);

    const invalid = await failure(jobdeck.jobs.listJobs({ query: { limit: "0" } }));
    expect(invalid).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(invalid.details).toEqual([{ path: "limit", message: "must be an integer between 1 and 100" }]);
    expect(invalid.message).toBe("limit: must be an integer between 1 and 100");

    const refused = await failure(
      createClient({ url: server.url, token: "not-a-jwt" }).jobs.listJobs({ query: { limit: "1" } }),
    );
    expect(refused).toMatchObject({ status: 401, code: "UNAUTHORIZED" });

    const conflict = await failure(
      jobdeck.jobs.retryJob({
        params: {
          jobId: (await jobdeck.jobs.createJob({ body: { type: "echo", payload: {} } })).body.data.id,
        },
      }),
    );
    expect(conflict).toMatchObject({ status: 409, code: "CONFLICT" });
  });

  it("says NETWORK_ERROR, status 0, when nothing answers", async () => {
    const closed = createClient({
      url: "http://127.0.0.1:9",
      token: "t",
      retry: { retries: 1, minDelayMs: 5 },
    });
    const error = await failure(closed.jobs.listJobTypes());
    expect(error).toMatchObject({ status: 0, code: "NETWORK_ERROR" });
    expect(error.message).toContain("GET /v1/job-types got no answer from http://127.0.0.1:9");
  });

  it("sends a create again, under the same automatic Idempotency-Key, when its answer was lost: one job", async () => {
    const sent: Headers[] = [];
    const losesFirstAnswer: typeof fetch = async (input, init) => {
      sent.push(new Headers(init?.headers));
      const response = await fetch(input, init);
      if (sent.length > 1) return response;
      await response.body?.cancel();
      throw new TypeError("fetch failed: other side closed");
    };
    const lossy = clientFor("lost-answer", { fetch: losesFirstAnswer, retry: { minDelayMs: 10 } });
    const created = await lossy.jobs.createJob({ body: { type: "echo", payload: { n: 1 } } });

    expect(sent).toHaveLength(2);
    expect(sent[0]!.get("idempotency-key")).toMatch(UUID);
    expect(sent[1]!.get("idempotency-key")).toBe(sent[0]!.get("idempotency-key"));
    expect(created.status).toBe(201);
    expect(created.headers.get("idempotent-replayed")).toBe("true");
    const jobs = await clientFor("lost-answer").jobs.listJobs({ query: { limit: "10" } });
    expect(jobs.body.data.map((job) => job.id)).toEqual([created.body.data.id]);
  });

  it("keeps the caller's own Idempotency-Key, and a new call gets a new automatic one", async () => {
    const keys: (string | null)[] = [];
    const recording: typeof fetch = (input, init) => {
      keys.push(new Headers(init?.headers).get("idempotency-key"));
      return fetch(input, init);
    };
    const client = clientFor("own-key", { fetch: recording });
    const body = { type: "echo", payload: { order: 4711 } };
    const first = await client.jobs.createJob({ body, headers: { "idempotency-key": "order-4711" } });
    const again = await client.jobs.createJob({ body, headers: { "idempotency-key": "order-4711" } });
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");

    const fresh = await client.jobs.createJob({ body });
    const another = await client.jobs.createJob({ body });
    expect(fresh.body.data.id).not.toBe(another.body.data.id);
    expect(keys.slice(0, 2)).toEqual(["order-4711", "order-4711"]);
    expect(new Set(keys.slice(2)).size).toBe(2);
  });

  it("repeats a GET after a 503 or a network error, and never a POST that is not a create", async () => {
    let calls = 0;
    const troubled: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1)
        return new Response("<html>bad gateway</html>", { status: 503, headers: { "retry-after": "0" } });
      if (calls === 2) throw new TypeError("fetch failed: ECONNRESET");
      return fetch(input, init);
    };
    const client = clientFor("alice", { fetch: troubled, retry: { minDelayMs: 5 } });
    const types = await client.jobs.listJobTypes();
    expect(calls).toBe(3);
    expect(types.body.data.map((type) => type.type)).toContain("echo");

    const job = (await jobdeck.jobs.createJob({ body: { type: "echo", payload: {} } })).body.data;
    let cancels = 0;
    const failing: typeof fetch = () => {
      cancels++;
      return Promise.reject(new TypeError("fetch failed"));
    };
    const error = await failure(
      clientFor("alice", { fetch: failing }).jobs.cancelJob({ params: { jobId: job.id } }),
    );
    expect(error.code).toBe("NETWORK_ERROR");
    expect(cancels).toBe(1);
  });

  it("stops repeating when the caller aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const down: typeof fetch = () => Promise.reject(new TypeError("fetch failed"));
    const client = clientFor("alice", { fetch: down, retry: { retries: 5, minDelayMs: 10_000 } });
    const call = client.jobs.listJobTypes({ fetchOptions: { signal: controller.signal } });
    setTimeout(() => controller.abort(new Error("user gave up")), 50);
    await expect(call).rejects.toThrow("user gave up");
  });

  it("iterates over every page of a filtered list, in the list's order", async () => {
    const pager = clientFor("pager");
    await pager.jobs.createJobsBatch({
      body: {
        jobs: [
          ...Array.from({ length: 7 }, (_, n) => ({ type: "echo", payload: { n } })),
          { type: "sleep", payload: { ms: 1 } },
        ],
      },
    });
    const pages: string[] = [];
    const recording: typeof fetch = (input, init) => {
      pages.push(input instanceof Request ? input.url : input.toString());
      return fetch(input, init);
    };
    const seen: string[] = [];
    const client = clientFor("pager", { fetch: recording });
    for await (const job of client.jobs.iterate({ type: "echo" }, { pageSize: 3 })) seen.push(job.id);

    const all = ListJobsResponseSchema.parse(
      (await pager.jobs.listJobs({ query: { limit: "100", type: "echo" } })).body,
    );
    expect(seen).toEqual(all.data.map((job) => job.id));
    expect(seen).toHaveLength(7);
    expect(pages).toHaveLength(3);
    expect(pages[1]).toContain("cursor=");

    const oldestFirst: number[] = [];
    for await (const job of pager.jobs.iterate({ type: "echo", sortOrder: "asc" }))
      oldestFirst.push((job.payload as { n: number }).n);
    expect(oldestFirst).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("exports every matching job as a byte stream, NDJSON or CSV, in the list's order; errors before it starts", async () => {
    const exporter = clientFor("exporter");
    await exporter.jobs.createJobsBatch({
      body: {
        jobs: [
          ...Array.from({ length: 5 }, (_, n) => ({
            type: "echo",
            payload: { n, text: n === 2 ? 'quote " comma , line\r\nend' : `n${n}` },
            tags: n % 2 === 0 ? ["even"] : [],
            metadata: { team: n < 3 ? "a" : "b" },
          })),
          { type: "sleep", payload: { ms: 1 } },
        ],
      },
    });
    const listed: string[] = [];
    for await (const job of exporter.jobs.iterate({ type: "echo", sortOrder: "asc" })) listed.push(job.id);

    const ndjson = await exporter.jobs.export({ type: "echo", sortOrder: "asc" }, { format: "ndjson" });
    expect(ndjson).toBeInstanceOf(ReadableStream);
    const lines = (await new Response(ndjson).text()).split("\n");
    expect(lines.pop()).toBe("");
    const jobs = lines.map((line) => JobSchema.parse(JSON.parse(line)));
    expect(jobs.map((job) => job.id)).toEqual(listed);
    expect(jobs[2]!.payload).toEqual({ n: 2, text: 'quote " comma , line\r\nend' });

    const filtered = await exporter.jobs.export(
      { tag: "even", "metadata.team": "a", sortBy: "createdAt", sortOrder: "desc" },
      { format: "csv" },
    );
    const rows = parse<Record<string, string>>(await new Response(filtered).text(), { columns: true });
    expect(Object.keys(rows[0]!)).toEqual(EXPORT_CSV_COLUMNS);
    expect(rows.map((row) => row.id)).toEqual([listed[2], listed[0]]);
    expect(JSON.parse(rows[0]!.payload!)).toEqual(jobs[2]!.payload);
    expect(rows[0]!.tags).toBe('["even"]');
    expect(rows[0]!.finishedAt).toBe("");

    const refused = await failure(exporter.jobs.export({ idPrefix: "xyz" }, { format: "ndjson" }));
    expect(refused).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(refused.details.map((detail) => detail.path)).toEqual(["idPrefix"]);
    const stopped = new AbortController();
    stopped.abort(new Error("not wanted"));
    await expect(exporter.jobs.export({}, { format: "csv", signal: stopped.signal })).rejects.toThrow(
      "not wanted",
    );
    // A consumer that stops early cancels the stream; the server goes on answering.
    const early = (await exporter.jobs.export({}, { format: "ndjson" })).getReader();
    expect((await early.read()).done).toBe(false);
    await early.cancel();
    expect((await exporter.jobs.listJobs({ query: { limit: "1" } })).status).toBe(200);
  });

  it("reaches the other resources' routes too: a queue's settings, ETag and pause", async () => {
    const settings = { concurrency: 2, perKeyConcurrency: null, rateLimit: null, perKeyRateLimit: null };
    const put = await jobdeck.queues.putQueue({ params: { name: "emails" }, body: settings });
    expect(QueueResponseSchema.parse(put.body).data).toMatchObject({ name: "emails", concurrency: 2 });
    const read = await jobdeck.queues.getQueue({ params: { name: "emails" } });
    const etag = read.headers.get("etag");
    expect(etag).toMatch(/\S/);
    await jobdeck.queues.pauseQueue({ params: { name: "emails" } });
    const stale = await failure(
      jobdeck.queues.putQueue({ params: { name: "emails" }, body: settings, headers: { "if-match": etag! } }),
    );
    expect(stale).toMatchObject({ status: 412, code: "PRECONDITION_FAILED" });
  });
});
