import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JobResponseSchema } from "@jobdeck/contract";
import { createInstance, getHttpOperationsFromSpec } from "@stoplight/prism-http";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJob } from "./support/jobs.js";
import { openApiDocument, operationsOf } from "./support/openapi.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { startServerWithoutDatabase, type ServerWithoutDatabase } from "./support/unreachable-database.js";

/**
 * Prism's validating proxy (the engine of `prism proxy`, @stoplight/prism-http) in front of real
 * servers, as an integrator would put it in front of the API: every route, and every status each
 * route can answer, goes through it, and it must find no answer that differs from the OpenAPI
 * document (status, body, headers). Requests that are valid by the document must raise nothing
 * either. Two probes show it really checks: a request without its required field, and answers
 * altered on their way back (a job without its payload, an answer without X-Request-Id).
 *
 * SQLite only: the document and the answers are the same on both databases (the api suites check
 * the answers on PostgreSQL), and the 503s come from a server whose PostgreSQL nothing answers for.
 */

const METRICS_TOKEN = "metrics-token-0123456789";
const MISSING = "0190c1e0-0000-7000-8000-000000000001";
const SETTINGS = {
  concurrency: 2,
  perKeyConcurrency: null,
  rateLimit: { limit: 10, periodMs: 60000 },
  perKeyRateLimit: null,
};
const WEBHOOK = { url: "https://hooks.example.com/jobdeck", events: ["job.completed", "job.failed"] };
/** The webhook the cases use, and one logged attempt of it. */
const hook = { id: "", deliveryId: "0190c1e0-0000-7000-8000-0000000000d1" };
const SCHEDULE = { name: "nightly", cron: "0 3 * * *", type: "echo", payload: {} };
const RETENTION = { completed: 7, failed: 30, cancelled: null };
const TOO_LARGE = JSON.stringify({ type: "echo", payload: { text: "x".repeat(1024 * 1024) } });

type Upstream = "main" | "limited" | "broken" | "unreachable";

type Case = {
  /** The operation it exercises, and the status it must get. */
  operation: string;
  status: number;
  method?: "get" | "post" | "put" | "delete";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  upstream?: Upstream;
  /** Whose token to send; `null` for none. Alice by default. */
  as?: string | null;
  /** The request breaks the document on purpose (a 400, 401, 413 or 415 case): its input violations are expected. */
  isInvalidRequest?: boolean;
};

type Diagnostic = { message: string; severity: number; path?: string[]; code?: unknown };
type Outcome = {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  input: Diagnostic[];
  output: Diagnostic[];
};

const json = (body: unknown) => ({
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

/** The body of an answer; of an event stream, what came until its first event (a stream never ends). */
async function bodyOf(response: globalThis.Response, abort: AbortController): Promise<Buffer> {
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    return Buffer.from(await response.arrayBuffer());
  }
  const reader = response.body!.getReader();
  let text = "";
  while (!/\nevent: .*\ndata: .*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString("utf8");
  }
  abort.abort();
  return Buffer.from(text);
}

/**
 * A pass-through in front of the real servers: `x-test-upstream` picks the server, and
 * `x-test-alter` changes the answer on its way back, as a server that drifted from its document
 * would send it. An event stream is passed on up to its first event and then closed, as a client
 * that stops listening would, so that the proxy gets a whole answer to check.
 */
function startShim(upstreams: Record<Upstream, () => string>): Promise<Server> {
  const hopByHop = ["host", "connection", "content-length", "transfer-encoding", "keep-alive"];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const upstream = upstreams[(req.headers["x-test-upstream"] as Upstream | undefined) ?? "main"]();
      const alter = req.headers["x-test-alter"];
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([name]) => ![...hopByHop, "x-test-upstream", "x-test-alter"].includes(name),
        ),
      ) as Record<string, string>;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const abort = new AbortController();
      fetch(upstream + req.url, {
        method: req.method,
        headers,
        signal: abort.signal,
        ...(body ? { body } : {}),
      })
        .then(async (response) => {
          let bytes = await bodyOf(response, abort);
          // fetch has decoded the body already.
          const out = Object.fromEntries(
            [...response.headers].filter(([name]) => ![...hopByHop, "content-encoding"].includes(name)),
          );
          if (alter === "drop-payload") {
            const answer = JSON.parse(bytes.toString("utf8")) as { data: Record<string, unknown> };
            delete answer.data.payload;
            bytes = Buffer.from(JSON.stringify(answer));
          }
          if (alter === "drop-request-id") delete out["x-request-id"];
          res.writeHead(response.status, out);
          res.end(bytes);
        })
        .catch((error: unknown) => {
          res.writeHead(502);
          res.end(String(error));
        });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("a validating proxy (Prism) in front of the server", () => {
  let main: TestServer;
  let limited: TestServer;
  let broken: TestServer;
  let unreachable: ServerWithoutDatabase;
  let shim: Server;
  let send: (one: Case & { alter?: string }) => Promise<Outcome>;
  const jobs: Record<string, string> = {};
  const schedules: Record<string, string> = {};
  const bulk: Record<string, string> = {};

  beforeAll(async () => {
    [main, limited, broken, unreachable] = await Promise.all([
      startTestServer("sqlite", { METRICS_TOKEN }),
      startTestServer("sqlite", { RATE_LIMIT_PER_MINUTE: "1" }),
      startTestServer("sqlite"),
      startServerWithoutDatabase(),
    ]);
    shim = await startShim({
      main: () => main.url,
      limited: () => limited.url,
      broken: () => broken.url,
      unreachable: () => unreachable.url,
    });
    const shimUrl = `http://127.0.0.1:${(shim.address() as AddressInfo).port}`;

    // Prism reads the document as `prism proxy` would read /openapi.json.
    const served = (await (await fetch(`${main.url}/openapi.json`)).json()) as object;
    const operations = await getHttpOperationsFromSpec(served);
    const prism = createInstance(
      {
        mock: { dynamic: false },
        checkSecurity: true,
        validateRequest: true,
        validateResponse: true,
        errors: false,
        upstreamProxy: undefined,
        isProxy: true,
        upstream: new URL(shimUrl),
      },
      { logger: pino({ level: "silent" }) },
    );

    const tokens: Record<Upstream, (sub: string) => string> = {
      main: (sub) => main.token(sub),
      limited: (sub) => limited.token(sub),
      broken: (sub) => broken.token(sub),
      unreachable: (sub) => unreachable.token(sub),
    };
    send = async ({ method = "get", path, headers = {}, body, upstream = "main", as = "alice", alter }) => {
      const url = new URL(path, "http://prism");
      const query: Record<string, string> = Object.fromEntries(url.searchParams);
      const requestHeaders: Record<string, string> = {
        ...headers,
        "x-test-upstream": upstream,
        ...(alter ? { "x-test-alter": alter } : {}),
        ...(as === null ? {} : { authorization: `Bearer ${tokens[upstream](as)}` }),
        ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
      };
      const result = await prism.request(
        {
          method,
          url: { path: url.pathname, query },
          headers: requestHeaders,
          // As `prism proxy` hands it on: JSON parsed, anything else as text.
          body:
            body === undefined
              ? undefined
              : /json/.test(headers["content-type"] ?? "")
                ? (() => {
                    try {
                      return JSON.parse(body) as unknown;
                    } catch {
                      return body;
                    }
                  })()
                : body,
        },
        operations,
      )();
      if (result._tag === "Left") throw result.left;
      const { output, validations } = result.right;
      return {
        status: output.statusCode,
        headers: output.headers ?? {},
        body: output.body,
        input: validations.input,
        output: validations.output,
      };
    };

    // What the cases need: jobs in every state, artifacts of two media types.
    const alice = main.token("alice");
    jobs.pending = (await createJob(main, alice, "echo", { n: 1 })).id;
    jobs.toCancel = (await createJob(main, alice, "echo", { n: 2 })).id;
    jobs.cancelled = (await createJob(main, alice, "echo", { n: 3 })).id;
    await main.request(`/v1/jobs/${jobs.cancelled}/cancel`, { method: "POST", token: alice });
    // §14: an attempt and log lines to list, as a worker would have written them.
    await main.prisma.jobAttempt.create({
      data: {
        jobId: jobs.cancelled,
        attempt: 1,
        leaseOwner: "host:1:abc#1",
        outcome: "failed",
        error: { code: "X", message: "failed" },
        startedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    await main.prisma.jobLog.createMany({
      data: [1, 2].map((seq) => ({
        jobId: jobs.cancelled!,
        seq,
        attempt: 1,
        level: "info",
        message: `line ${seq}`,
        fields: seq === 1 ? '{"a":1}' : null,
        at: new Date(),
      })),
    });
    for (const [name, contentType, bytes] of [
      ["png", "image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255])],
      ["csv", "text/csv", Buffer.from("id,total\n1,42\n")],
    ] as const) {
      jobs[name] = (await createJob(main, alice, "echo", {})).id;
      await main.prisma.jobArtifact.create({
        data: { jobId: jobs[name], contentType, bytes, size: bytes.length, createdAt: new Date() },
      });
    }
    // Over the limit of 1 a minute: alice, and this address without a token.
    await limited.request("/v1/job-types", { token: limited.token("alice") });
    await limited.request("/v1/job-types");
    // Queues to read, one of them at ETag "1".
    for (const name of ["emails", "reports"]) {
      await main.request(`/v1/queues/${name}`, { method: "PUT", token: alice, ...json(SETTINGS) });
    }
    // Schedules to read, change, pause, trigger and delete.
    for (const name of ["read", "other", "doomed"]) {
      const response = await main.request("/v1/schedules", {
        method: "POST",
        token: alice,
        ...json({ ...SCHEDULE, name }),
      });
      schedules[name] = (response.body as { data: { id: string } }).data.id;
    }
    // Bulk operations (§15): one ended, one running that no runner takes (its lease is held far ahead).
    const operation = await main.request("/v1/bulk-operations", {
      method: "POST",
      token: alice,
      ...json({ action: "cancel", ids: [MISSING] }),
      headers: { "content-type": "application/json", "idempotency-key": "proxy-ended" },
    });
    bulk.ended = (operation.body as { data: { id: string } }).data.id;
    bulk.running = "01a23c14-75dd-7328-a0b2-20ec35b135c8";
    await main.prisma.bulkOperation.create({
      data: {
        id: bulk.running,
        userId: "alice",
        action: "retry",
        status: "running",
        selection: "{}",
        matched: 10,
        createdAt: new Date(),
        updatedAt: new Date(),
        leaseOwner: "elsewhere",
        leaseExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "bulk_operations"`);
    // A schema that lost its tables: every route that reads them answers 500.
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "job_events"`);
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "jobs"`);
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "queues"`);
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "webhooks"`);
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "retention_settings"`);
    // A webhook with one logged attempt, to redeliver (§13).
    const created = await main.request("/v1/webhooks", {
      method: "POST",
      token: alice,
      ...json({ url: "https://hooks.example.com/jobdeck", events: ["job.completed"] }),
    });
    hook.id = (created.body as { data: { id: string } }).data.id;
    const now = new Date();
    await main.prisma.webhookMessage.create({
      data: {
        id: "msg_0123456789abcdef0123456789abcdef",
        webhookId: hook.id,
        userId: "alice",
        eventType: "webhook.test",
        body: "{}",
        status: "delivered",
        attempts: 1,
        expiresAt: now,
        createdAt: now,
        updatedAt: now,
      },
    });
    await main.prisma.webhookDelivery.create({
      data: {
        id: hook.deliveryId,
        webhookId: hook.id,
        messageId: "msg_0123456789abcdef0123456789abcdef",
        eventType: "webhook.test",
        attempt: 1,
        statusCode: 200,
        durationMs: 3,
        createdAt: now,
      },
    });
    await broken.prisma.$executeRawUnsafe(`DROP TABLE "schedules"`);
  });

  afterAll(async () => {
    await new Promise((resolve) => shim?.close(resolve));
    await Promise.all([main?.close(), limited?.close(), broken?.close(), unreachable?.close()]);
  });

  /** Every /v1 route once, for the answers any of them can give (401, 429, 500, 503). */
  const everyV1Route = (status: number, extra: Partial<Case>): Case[] =>
    [
      { operation: "listJobs", path: "/v1/jobs?limit=5" },
      { operation: "createJob", method: "post", path: "/v1/jobs", ...json({ type: "echo", payload: {} }) },
      { operation: "getJobStats", path: "/v1/jobs/stats" },
      { operation: "listFailureGroups", path: "/v1/jobs/failure-groups" },
      { operation: "getRetention", path: "/v1/retention" },
      { operation: "putRetention", method: "put", path: "/v1/retention", ...json(RETENTION) },
      { operation: "exportJobs", path: "/v1/jobs/export?format=csv" },
      {
        operation: "createJobsBatch",
        method: "post",
        path: "/v1/jobs/batch",
        ...json({ jobs: [{ type: "echo", payload: {} }] }),
      },
      { operation: "getJob", path: `/v1/jobs/${MISSING}` },
      { operation: "cancelJob", method: "post", path: `/v1/jobs/${MISSING}/cancel` },
      { operation: "retryJob", method: "post", path: `/v1/jobs/${MISSING}/retry` },
      { operation: "getJobArtifact", path: `/v1/jobs/${MISSING}/artifact` },
      { operation: "listJobAttempts", path: `/v1/jobs/${MISSING}/attempts` },
      { operation: "listJobLogs", path: `/v1/jobs/${MISSING}/logs?limit=5` },
      { operation: "listJobTypes", path: "/v1/job-types" },
      { operation: "streamEvents", path: "/v1/events" },
      { operation: "listQueues", path: "/v1/queues?limit=5" },
      { operation: "getQueue", path: "/v1/queues/emails" },
      { operation: "putQueue", method: "put", path: "/v1/queues/emails", ...json(SETTINGS) },
      { operation: "pauseQueue", method: "post", path: "/v1/queues/emails/pause" },
      { operation: "resumeQueue", method: "post", path: "/v1/queues/emails/resume" },
      ...webhookRoutes(hook.id),
      { operation: "listSchedules", path: "/v1/schedules?limit=5" },
      {
        operation: "createSchedule",
        method: "post",
        path: "/v1/schedules",
        ...json({ ...SCHEDULE, name: "x" }),
      },
      { operation: "getSchedule", path: `/v1/schedules/${MISSING}` },
      { operation: "putSchedule", method: "put", path: `/v1/schedules/${MISSING}`, ...json(SCHEDULE) },
      { operation: "deleteSchedule", method: "delete", path: `/v1/schedules/${MISSING}` },
      { operation: "pauseSchedule", method: "post", path: `/v1/schedules/${MISSING}/pause` },
      { operation: "resumeSchedule", method: "post", path: `/v1/schedules/${MISSING}/resume` },
      { operation: "triggerSchedule", method: "post", path: `/v1/schedules/${MISSING}/trigger` },
      {
        operation: "createBulkOperation",
        method: "post",
        path: "/v1/bulk-operations",
        ...json({ action: "cancel", filter: {} }),
        headers: { "content-type": "application/json", "idempotency-key": `every-${status}` },
      },
      { operation: "listBulkOperations", path: "/v1/bulk-operations?limit=5" },
      { operation: "getBulkOperation", path: `/v1/bulk-operations/${MISSING}` },
      { operation: "cancelBulkOperation", method: "post", path: `/v1/bulk-operations/${MISSING}/cancel` },
    ].map((one) => ({ ...one, status, ...extra }) as Case);

  /** §13's routes, once each, for the answers every /v1 route can give. */
  const webhookRoutes = (id: string) => [
    { operation: "createWebhook", method: "post", path: "/v1/webhooks", ...json(WEBHOOK) },
    { operation: "listWebhooks", path: "/v1/webhooks?limit=5" },
    { operation: "getWebhook", path: `/v1/webhooks/${id}` },
    { operation: "putWebhook", method: "put", path: `/v1/webhooks/${id}`, ...json(WEBHOOK) },
    { operation: "deleteWebhook", method: "delete", path: `/v1/webhooks/${MISSING}` },
    { operation: "rotateWebhookSecret", method: "post", path: `/v1/webhooks/${id}/rotate-secret` },
    { operation: "testWebhook", method: "post", path: `/v1/webhooks/${id}/test` },
    { operation: "listWebhookDeliveries", path: `/v1/webhooks/${id}/deliveries?limit=5` },
    {
      operation: "redeliverWebhookDelivery",
      method: "post",
      path: `/v1/webhooks/${id}/deliveries/${hook.deliveryId}/redeliver`,
    },
  ];

  /** Every status of §13's routes. */
  const webhookCases = (): Case[] => {
    const id = hook.id;
    const bodyErrors = (operation: string, method: "post" | "put" | "delete", path: string): Case[] => [
      {
        operation,
        status: 400,
        method,
        path,
        body: "{",
        headers: { "content-type": "application/json" },
        isInvalidRequest: true,
      },
      {
        operation,
        status: 413,
        method,
        path,
        body: TOO_LARGE,
        headers: { "content-type": "application/json" },
        isInvalidRequest: true,
      },
      {
        operation,
        status: 415,
        method,
        path,
        body: "x",
        headers: { "content-type": "text/plain" },
        isInvalidRequest: true,
      },
    ];
    return [
      { operation: "createWebhook", status: 201, method: "post", path: "/v1/webhooks", ...json(WEBHOOK) },
      {
        operation: "createWebhook",
        status: 400,
        method: "post",
        path: "/v1/webhooks",
        ...json({ url: "ftp://example.com/", events: [] }),
        isInvalidRequest: true,
      },
      ...bodyErrors("createWebhook", "post", "/v1/webhooks").slice(1),
      { operation: "listWebhooks", status: 200, path: "/v1/webhooks?limit=1" },
      { operation: "listWebhooks", status: 400, path: "/v1/webhooks?limit=0", isInvalidRequest: true },
      { operation: "listWebhooks", status: 400, path: "/v1/webhooks?limit=1&cursor=not-a-cursor" },
      { operation: "getWebhook", status: 200, path: `/v1/webhooks/${id}` },
      { operation: "getWebhook", status: 404, path: `/v1/webhooks/${MISSING}` },
      { operation: "putWebhook", status: 200, method: "put", path: `/v1/webhooks/${id}`, ...json(WEBHOOK) },
      {
        operation: "putWebhook",
        status: 404,
        method: "put",
        path: `/v1/webhooks/${MISSING}`,
        ...json(WEBHOOK),
      },
      {
        operation: "putWebhook",
        status: 400,
        method: "put",
        path: `/v1/webhooks/${id}`,
        ...json({ ...WEBHOOK, events: ["job.nothing"] }),
        isInvalidRequest: true,
      },
      ...bodyErrors("putWebhook", "put", `/v1/webhooks/${id}`).slice(1),
      {
        operation: "rotateWebhookSecret",
        status: 200,
        method: "post",
        path: `/v1/webhooks/${id}/rotate-secret`,
      },
      {
        operation: "rotateWebhookSecret",
        status: 404,
        method: "post",
        path: `/v1/webhooks/${MISSING}/rotate-secret`,
      },
      ...bodyErrors("rotateWebhookSecret", "post", `/v1/webhooks/${id}/rotate-secret`),
      { operation: "testWebhook", status: 202, method: "post", path: `/v1/webhooks/${id}/test` },
      { operation: "testWebhook", status: 404, method: "post", path: `/v1/webhooks/${MISSING}/test` },
      ...bodyErrors("testWebhook", "post", `/v1/webhooks/${id}/test`),
      { operation: "listWebhookDeliveries", status: 200, path: `/v1/webhooks/${id}/deliveries?limit=1` },
      {
        operation: "listWebhookDeliveries",
        status: 400,
        path: `/v1/webhooks/${id}/deliveries?limit=101`,
        isInvalidRequest: true,
      },
      { operation: "listWebhookDeliveries", status: 404, path: `/v1/webhooks/${MISSING}/deliveries?limit=1` },
      ...(["redeliverWebhookDelivery"] as const).flatMap((operation): Case[] => {
        const path = `/v1/webhooks/${id}/deliveries/${hook.deliveryId}/redeliver`;
        return [
          { operation, status: 202, method: "post", path },
          {
            operation,
            status: 404,
            method: "post",
            path: `/v1/webhooks/${id}/deliveries/${MISSING}/redeliver`,
          },
          ...bodyErrors(operation, "post", path),
        ];
      }),
      ...bodyErrors("deleteWebhook", "delete", `/v1/webhooks/${id}`),
      { operation: "deleteWebhook", status: 404, method: "delete", path: `/v1/webhooks/${MISSING}` },
      { operation: "deleteWebhook", status: 204, method: "delete", path: `/v1/webhooks/${id}` },
    ];
  };

  const cases = (): Case[] => [
    ...webhookCases(),
    // GET /v1/jobs
    { operation: "listJobs", status: 200, path: "/v1/jobs?limit=2&sortBy=createdAt&sortOrder=desc" },
    {
      operation: "listJobs",
      status: 200,
      path: "/v1/jobs?limit=10&status=pending, cancelled&type=echo, sleep",
    },
    { operation: "listJobs", status: 400, path: "/v1/jobs?limit=0", isInvalidRequest: true },
    { operation: "listJobs", status: 400, path: "/v1/jobs?limit=2&cursor=not-a-cursor" },
    // POST /v1/jobs
    {
      operation: "createJob",
      status: 201,
      method: "post",
      path: "/v1/jobs",
      ...json({ type: "echo", payload: { hello: "world" } }),
    },
    {
      operation: "createJob",
      status: 201,
      method: "post",
      path: "/v1/jobs",
      body: JSON.stringify({ type: "echo", payload: { order: 4711 } }),
      headers: { "content-type": "application/json", "idempotency-key": "order-4711" },
    },
    {
      operation: "createJob",
      status: 201,
      method: "post",
      path: "/v1/jobs",
      body: JSON.stringify({ type: "echo", payload: { order: 4711 } }),
      headers: { "content-type": "application/json", "idempotency-key": "order-4711" },
    },
    {
      operation: "createJob",
      status: 409,
      method: "post",
      path: "/v1/jobs",
      body: JSON.stringify({ type: "echo", payload: { order: 4712 } }),
      headers: { "content-type": "application/json", "idempotency-key": "order-4711" },
    },
    {
      operation: "createJob",
      status: 400,
      method: "post",
      path: "/v1/jobs",
      ...json({ type: "sleep", payload: { ms: -1 } }),
    },
    {
      operation: "createJob",
      status: 413,
      method: "post",
      path: "/v1/jobs",
      body: TOO_LARGE,
      headers: { "content-type": "application/json" },
    },
    {
      operation: "createJob",
      status: 415,
      method: "post",
      path: "/v1/jobs",
      body: "type=echo",
      headers: { "content-type": "text/plain" },
      isInvalidRequest: true,
    },
    // POST /v1/jobs folded into the pending job that holds its dedupeKey (§11)
    {
      operation: "createJob",
      status: 201,
      method: "post",
      path: "/v1/jobs",
      ...json({ type: "echo", payload: { n: 1 }, queue: "emails", dedupeKey: "invoice-1" }),
    },
    {
      operation: "createJob",
      status: 200,
      method: "post",
      path: "/v1/jobs",
      ...json({ type: "echo", payload: { n: 2 }, queue: "emails", dedupeKey: "invoice-1" }),
    },
    // POST /v1/jobs/batch (§12)
    {
      operation: "createJobsBatch",
      status: 201,
      method: "post",
      path: "/v1/jobs/batch",
      ...json({
        jobs: [
          { type: "echo", payload: { n: 1 } },
          { type: "sleep", payload: { ms: 1 }, queue: "emails" },
        ],
      }),
    },
    ...[201, 201, 409].map((status, i): Case => ({
      operation: "createJobsBatch",
      status,
      method: "post",
      path: "/v1/jobs/batch",
      body: JSON.stringify({ jobs: [{ type: "echo", payload: { batch: i < 2 ? 1 : 2 } }] }),
      headers: { "content-type": "application/json", "idempotency-key": "batch-1" },
    })),
    {
      operation: "createJobsBatch",
      status: 400,
      method: "post",
      path: "/v1/jobs/batch",
      ...json({
        jobs: [
          { type: "echo", payload: {} },
          { type: "sleep", payload: { ms: -1 } },
        ],
      }),
    },
    {
      operation: "createJobsBatch",
      status: 400,
      method: "post",
      path: "/v1/jobs/batch",
      ...json({ jobs: [] }),
      isInvalidRequest: true,
    },
    {
      operation: "createJobsBatch",
      status: 413,
      method: "post",
      path: "/v1/jobs/batch",
      body: JSON.stringify({ jobs: [{ type: "echo", payload: { text: "x".repeat(8 * 1024 * 1024) } }] }),
      headers: { "content-type": "application/json" },
    },
    {
      operation: "createJobsBatch",
      status: 415,
      method: "post",
      path: "/v1/jobs/batch",
      body: "jobs=1",
      headers: { "content-type": "text/plain" },
      isInvalidRequest: true,
    },
    // GET /v1/queues and /v1/queues/{name}
    { operation: "listQueues", status: 200, path: "/v1/queues?limit=1" },
    { operation: "listQueues", status: 400, path: "/v1/queues?limit=0", isInvalidRequest: true },
    { operation: "listQueues", status: 400, path: "/v1/queues?limit=1&cursor=not-a-cursor" },
    { operation: "getQueue", status: 200, path: "/v1/queues/emails" },
    { operation: "getQueue", status: 404, path: "/v1/queues/nothing" },
    // PUT /v1/queues/{name}
    { operation: "putQueue", status: 200, method: "put", path: "/v1/queues/reports", ...json(SETTINGS) },
    {
      operation: "putQueue",
      status: 412,
      method: "put",
      path: "/v1/queues/reports",
      body: JSON.stringify(SETTINGS),
      headers: { "content-type": "application/json", "if-match": '"1"' },
    },
    { operation: "putQueue", status: 400, method: "put", path: "/v1/queues/Reports", ...json(SETTINGS) },
    {
      operation: "putQueue",
      status: 400,
      method: "put",
      path: "/v1/queues/reports",
      ...json({ ...SETTINGS, concurrency: 0 }),
      isInvalidRequest: true,
    },
    {
      operation: "putQueue",
      status: 413,
      method: "put",
      path: "/v1/queues/reports",
      body: TOO_LARGE,
      headers: { "content-type": "application/json" },
      isInvalidRequest: true,
    },
    {
      operation: "putQueue",
      status: 415,
      method: "put",
      path: "/v1/queues/reports",
      body: "x",
      headers: { "content-type": "text/plain" },
      isInvalidRequest: true,
    },
    // POST /v1/queues/{name}/pause and /resume
    ...(["pauseQueue", "resumeQueue"] as const).flatMap((operation): Case[] => {
      const action = operation === "pauseQueue" ? "pause" : "resume";
      return [
        { operation, status: 200, method: "post", path: `/v1/queues/emails/${action}` },
        { operation, status: 400, method: "post", path: `/v1/queues/No Such/${action}` },
        {
          operation,
          status: 413,
          method: "post",
          path: `/v1/queues/emails/${action}`,
          body: TOO_LARGE,
          headers: { "content-type": "application/json" },
          isInvalidRequest: true,
        },
        {
          operation,
          status: 415,
          method: "post",
          path: `/v1/queues/emails/${action}`,
          body: "x",
          headers: { "content-type": "text/plain" },
          isInvalidRequest: true,
        },
      ];
    }),
    // /v1/schedules
    { operation: "listSchedules", status: 200, path: "/v1/schedules?limit=2" },
    { operation: "listSchedules", status: 400, path: "/v1/schedules?limit=0", isInvalidRequest: true },
    {
      operation: "createSchedule",
      status: 201,
      method: "post",
      path: "/v1/schedules",
      ...json({ ...SCHEDULE, name: "new", timezone: "Europe/Berlin", overlap: "skip" }),
    },
    {
      operation: "createSchedule",
      status: 400,
      method: "post",
      path: "/v1/schedules",
      ...json({ ...SCHEDULE, name: "bad", cron: "0 0 L * *" }),
    },
    {
      operation: "createSchedule",
      status: 409,
      method: "post",
      path: "/v1/schedules",
      ...json({ ...SCHEDULE, name: "read" }),
    },
    ...(["createSchedule", "putSchedule"] as const).flatMap((operation): Case[] => {
      const method = operation === "createSchedule" ? "post" : "put";
      const path = operation === "createSchedule" ? "/v1/schedules" : `/v1/schedules/${schedules.other}`;
      return [
        {
          operation,
          status: 413,
          method,
          path,
          body: TOO_LARGE,
          headers: { "content-type": "application/json" },
          isInvalidRequest: true,
        },
        {
          operation,
          status: 415,
          method,
          path,
          body: "x",
          headers: { "content-type": "text/plain" },
          isInvalidRequest: true,
        },
      ];
    }),
    { operation: "getSchedule", status: 200, path: `/v1/schedules/${schedules.read}` },
    { operation: "getSchedule", status: 404, path: `/v1/schedules/${MISSING}` },
    {
      operation: "putSchedule",
      status: 200,
      method: "put",
      path: `/v1/schedules/${schedules.other}`,
      ...json({ ...SCHEDULE, name: "other", cron: "*/5 * * * *" }),
    },
    {
      operation: "putSchedule",
      status: 400,
      method: "put",
      path: `/v1/schedules/${schedules.other}`,
      ...json({ ...SCHEDULE, name: "other", timezone: "Mars/Base" }),
    },
    {
      operation: "putSchedule",
      status: 404,
      method: "put",
      path: `/v1/schedules/${MISSING}`,
      ...json(SCHEDULE),
    },
    {
      operation: "putSchedule",
      status: 409,
      method: "put",
      path: `/v1/schedules/${schedules.other}`,
      ...json({ ...SCHEDULE, name: "read" }),
    },
    ...(["pauseSchedule", "resumeSchedule", "triggerSchedule", "deleteSchedule"] as const).flatMap(
      (operation): Case[] => {
        const action = {
          pauseSchedule: "/pause",
          resumeSchedule: "/resume",
          triggerSchedule: "/trigger",
          deleteSchedule: "",
        }[operation];
        const method = operation === "deleteSchedule" ? "delete" : "post";
        const id = operation === "deleteSchedule" ? schedules.doomed : schedules.read;
        return [
          {
            operation,
            status: { pauseSchedule: 200, resumeSchedule: 200, triggerSchedule: 201, deleteSchedule: 204 }[
              operation
            ],
            method,
            path: `/v1/schedules/${id}${action}`,
          },
          { operation, status: 404, method, path: `/v1/schedules/${MISSING}${action}` },
          {
            operation,
            status: 400,
            method,
            path: `/v1/schedules/${schedules.read}${action}`,
            body: "{",
            headers: { "content-type": "application/json" },
            isInvalidRequest: true,
          },
          {
            operation,
            status: 413,
            method,
            path: `/v1/schedules/${schedules.read}${action}`,
            body: TOO_LARGE,
            headers: { "content-type": "application/json" },
            isInvalidRequest: true,
          },
          {
            operation,
            status: 415,
            method,
            path: `/v1/schedules/${schedules.read}${action}`,
            body: "x",
            headers: { "content-type": "text/plain" },
            isInvalidRequest: true,
          },
        ];
      },
    ),
    // /v1/bulk-operations
    ...((): Case[] => {
      const create = (
        status: number,
        body: unknown,
        key: string | null,
        extra: Partial<Case> = {},
      ): Case => ({
        operation: "createBulkOperation",
        status,
        method: "post",
        path: "/v1/bulk-operations",
        ...json(body),
        headers: { "content-type": "application/json", ...(key === null ? {} : { "idempotency-key": key }) },
        ...extra,
      });
      const raw = (status: number, body: string, contentType: string): Case => ({
        ...create(status, {}, "proxy-raw"),
        body,
        headers: { "content-type": contentType, "idempotency-key": "proxy-raw" },
        isInvalidRequest: true,
      });
      return [
        create(200, { action: "retry", filter: { status: "failed" }, dryRun: true }, "proxy-dry"),
        // Of no job of the other cases: they need their jobs as they are.
        create(202, { action: "cancel", ids: [MISSING] }, "proxy-one"),
        create(409, { action: "retry", ids: [MISSING] }, "proxy-one"),
        create(400, { action: "cancel", filter: {} }, null, { isInvalidRequest: true }),
        raw(413, TOO_LARGE, "application/json"),
        raw(415, "x", "text/plain"),
      ];
    })(),
    { operation: "listBulkOperations", status: 200, path: "/v1/bulk-operations?limit=2" },
    {
      operation: "listBulkOperations",
      status: 400,
      path: "/v1/bulk-operations?limit=0",
      isInvalidRequest: true,
    },
    { operation: "getBulkOperation", status: 200, path: `/v1/bulk-operations/${bulk.ended}` },
    { operation: "getBulkOperation", status: 404, path: `/v1/bulk-operations/${MISSING}` },
    {
      operation: "cancelBulkOperation",
      status: 200,
      method: "post",
      path: `/v1/bulk-operations/${bulk.running}/cancel`,
    },
    {
      operation: "cancelBulkOperation",
      status: 409,
      method: "post",
      path: `/v1/bulk-operations/${bulk.ended}/cancel`,
    },
    {
      operation: "cancelBulkOperation",
      status: 404,
      method: "post",
      path: `/v1/bulk-operations/${MISSING}/cancel`,
    },
    ...([400, 413, 415] as const).map((status): Case => ({
      operation: "cancelBulkOperation",
      status,
      method: "post",
      path: `/v1/bulk-operations/${bulk.ended}/cancel`,
      body: { 400: "{", 413: TOO_LARGE, 415: "x" }[status],
      headers: { "content-type": status === 415 ? "text/plain" : "application/json" },
      isInvalidRequest: true,
    })),
    // GET /v1/jobs/stats
    { operation: "getJobStats", status: 200, path: "/v1/jobs/stats?type=echo&status=pending, cancelled" },
    { operation: "getJobStats", status: 400, path: "/v1/jobs/stats?limit=1" },
    // GET /v1/jobs/failure-groups (the Failed view) and §15's retention
    { operation: "listFailureGroups", status: 200, path: "/v1/jobs/failure-groups?type=echo" },
    { operation: "listFailureGroups", status: 400, path: "/v1/jobs/failure-groups?limit=1" },
    { operation: "getRetention", status: 200, path: "/v1/retention" },
    { operation: "putRetention", status: 200, method: "put", path: "/v1/retention", ...json(RETENTION) },
    {
      operation: "putRetention",
      status: 400,
      method: "put",
      path: "/v1/retention",
      ...json({ completed: -1, failed: null, cancelled: null }),
      isInvalidRequest: true,
    },
    {
      operation: "putRetention",
      status: 413,
      method: "put",
      path: "/v1/retention",
      body: TOO_LARGE,
      headers: { "content-type": "application/json" },
      isInvalidRequest: true,
    },
    {
      operation: "putRetention",
      status: 415,
      method: "put",
      path: "/v1/retention",
      body: "x",
      headers: { "content-type": "text/plain" },
      isInvalidRequest: true,
    },
    // GET /v1/jobs/{jobId}/attempts and /logs (§14)
    { operation: "listJobAttempts", status: 200, path: `/v1/jobs/${jobs.cancelled}/attempts` },
    { operation: "listJobAttempts", status: 404, path: `/v1/jobs/${MISSING}/attempts` },
    {
      operation: "listJobLogs",
      status: 200,
      path: `/v1/jobs/${jobs.cancelled}/logs?limit=1&level=info,warn`,
    },
    {
      operation: "listJobLogs",
      status: 400,
      path: `/v1/jobs/${jobs.cancelled}/logs?limit=0`,
      isInvalidRequest: true,
    },
    {
      operation: "listJobLogs",
      status: 400,
      path: `/v1/jobs/${jobs.cancelled}/logs?limit=1&cursor=not-a-cursor`,
    },
    { operation: "listJobLogs", status: 404, path: `/v1/jobs/${MISSING}/logs?limit=1` },
    // GET /v1/jobs/{jobId}
    { operation: "getJob", status: 200, path: `/v1/jobs/${jobs.pending}` },
    { operation: "getJob", status: 404, path: `/v1/jobs/${MISSING}` },
    // POST /v1/jobs/{jobId}/cancel
    { operation: "cancelJob", status: 200, method: "post", path: `/v1/jobs/${jobs.toCancel}/cancel` },
    { operation: "cancelJob", status: 409, method: "post", path: `/v1/jobs/${jobs.cancelled}/cancel` },
    { operation: "cancelJob", status: 404, method: "post", path: `/v1/jobs/${MISSING}/cancel` },
    {
      operation: "cancelJob",
      status: 400,
      method: "post",
      path: `/v1/jobs/${jobs.pending}/cancel`,
      body: "{",
      headers: { "content-type": "application/json" },
      isInvalidRequest: true,
    },
    {
      operation: "cancelJob",
      status: 413,
      method: "post",
      path: `/v1/jobs/${jobs.pending}/cancel`,
      body: TOO_LARGE,
      headers: { "content-type": "application/json" },
      isInvalidRequest: true,
    },
    {
      operation: "cancelJob",
      status: 415,
      method: "post",
      path: `/v1/jobs/${jobs.pending}/cancel`,
      body: "x",
      headers: { "content-type": "text/plain" },
      isInvalidRequest: true,
    },
    // POST /v1/jobs/{jobId}/retry
    { operation: "retryJob", status: 201, method: "post", path: `/v1/jobs/${jobs.cancelled}/retry` },
    // §15: a retry with changes, and a change that create would refuse.
    {
      operation: "retryJob",
      status: 201,
      method: "post",
      path: `/v1/jobs/${jobs.cancelled}/retry`,
      ...json({ payload: { again: true }, priority: 5, tags: ["retried"] }),
    },
    {
      operation: "retryJob",
      status: 400,
      method: "post",
      path: `/v1/jobs/${jobs.cancelled}/retry`,
      ...json({ priority: 500 }),
      isInvalidRequest: true,
    },
    { operation: "retryJob", status: 409, method: "post", path: `/v1/jobs/${jobs.pending}/retry` },
    { operation: "retryJob", status: 404, method: "post", path: `/v1/jobs/${MISSING}/retry` },
    {
      operation: "retryJob",
      status: 400,
      method: "post",
      path: `/v1/jobs/${jobs.cancelled}/retry`,
      headers: { "idempotency-key": "k".repeat(256) },
      isInvalidRequest: true,
    },
    {
      operation: "retryJob",
      status: 413,
      method: "post",
      path: `/v1/jobs/${jobs.cancelled}/retry`,
      body: TOO_LARGE,
      headers: { "content-type": "application/json" },
      isInvalidRequest: true,
    },
    {
      operation: "retryJob",
      status: 415,
      method: "post",
      path: `/v1/jobs/${jobs.cancelled}/retry`,
      body: "x",
      headers: { "content-type": "text/plain" },
      isInvalidRequest: true,
    },
    // GET /v1/jobs/{jobId}/artifact: an image, and what a custom type may store
    { operation: "getJobArtifact", status: 200, path: `/v1/jobs/${jobs.png}/artifact` },
    { operation: "getJobArtifact", status: 200, path: `/v1/jobs/${jobs.csv}/artifact` },
    { operation: "getJobArtifact", status: 404, path: `/v1/jobs/${jobs.pending}/artifact` },
    // GET /v1/jobs/export (§15)
    { operation: "exportJobs", status: 200, path: "/v1/jobs/export?format=ndjson&tag=none" },
    { operation: "exportJobs", status: 200, path: "/v1/jobs/export?format=csv&sortBy=priority" },
    { operation: "exportJobs", status: 400, path: "/v1/jobs/export?format=xml", isInvalidRequest: true },
    // GET /v1/job-types
    { operation: "listJobTypes", status: 200, path: "/v1/job-types" },
    // GET /v1/events
    { operation: "streamEvents", status: 200, path: "/v1/events" },
    {
      operation: "streamEvents",
      status: 400,
      path: "/v1/events",
      headers: { "last-event-id": "yesterday" },
      isInvalidRequest: true,
    },
    { operation: "streamEvents", status: 400, path: "/v1/events?since=8" },
    // Outside /v1
    { operation: "getHealth", status: 200, path: "/healthz", as: null },
    { operation: "getReadiness", status: 200, path: "/readyz", as: null },
    { operation: "getReadiness", status: 503, path: "/readyz", as: null, upstream: "unreachable" },
    {
      operation: "getMetrics",
      status: 200,
      path: "/metrics",
      as: null,
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    },
    { operation: "getMetrics", status: 401, path: "/metrics", as: null },
    // What every /v1 route can answer
    ...everyV1Route(401, { as: null, isInvalidRequest: true }),
    ...everyV1Route(429, { upstream: "limited" }),
    ...everyV1Route(429, { upstream: "limited", as: null, isInvalidRequest: true }).slice(0, 1),
    ...everyV1Route(500, { upstream: "broken" }).filter((one) => one.operation !== "listJobTypes"),
    ...everyV1Route(503, { upstream: "unreachable" }),
  ];

  /** Statuses the document lists that no request can bring about. */
  const UNREACHABLE_STATUSES = [
    // The job types live in memory: nothing on that route can fail.
    "listJobTypes 500",
  ];

  it("sees no answer that differs from the document, across every route and every status", async () => {
    const all = cases();
    const seen: { name: string; status: number; input: Diagnostic[]; output: Diagnostic[] }[] = [];
    for (const one of all) {
      const outcome = await send(one);
      const name = `${one.operation} ${one.status} ${one.method ?? "get"} ${one.path.slice(0, 80)} (${one.upstream ?? "main"})`;
      seen.push({
        name,
        status: outcome.status,
        input: one.isInvalidRequest ? [] : outcome.input,
        output: outcome.output,
      });
    }
    expect(seen.filter((one) => one.input.length > 0 || one.output.length > 0)).toEqual([]);
    expect(seen.map((one) => `${one.name}: ${one.status}`)).toEqual(
      all.map((one, i) => `${seen[i]!.name}: ${one.status}`),
    );

    // Every status of every operation of the document was answered through the proxy.
    const covered = new Set(all.map((one) => `${one.operation} ${one.status}`));
    const documented = operationsOf(openApiDocument()).flatMap(({ operation }) =>
      Object.keys(operation.responses).map((status) => `${operation.operationId} ${status}`),
    );
    expect(documented.filter((one) => !covered.has(one) && !UNREACHABLE_STATUSES.includes(one))).toEqual([]);
  });

  it("does check: it flags a request without a required field, and answers that drifted from the document", async () => {
    const request = await send({
      operation: "createJob",
      status: 400,
      method: "post",
      path: "/v1/jobs",
      ...json({ type: "echo" }),
    });
    expect(request.status).toBe(400);
    expect(request.input.map((d) => `${(d.path ?? []).join(".")} ${d.message}`).join("\n")).toMatch(
      /payload/,
    );

    const honest = await send({ operation: "getJob", status: 200, path: `/v1/jobs/${jobs.pending}` });
    expect(honest.output).toEqual([]);
    expect(JobResponseSchema.parse(honest.body).data.payload).toEqual({ n: 1 });
    const drifted = await send({
      operation: "getJob",
      status: 200,
      path: `/v1/jobs/${jobs.pending}`,
      alter: "drop-payload",
    });
    expect(drifted.status).toBe(200);
    expect(drifted.output.map((d) => `${(d.path ?? []).join(".")} ${d.message}`).join("\n")).toMatch(
      /payload/,
    );
    const noRequestId = await send({
      operation: "getJob",
      status: 404,
      path: `/v1/jobs/${MISSING}`,
      alter: "drop-request-id",
    });
    expect(noRequestId.output.map((d) => `${(d.path ?? []).join(".")} ${d.message}`).join("\n")).toMatch(
      /x-request-id/i,
    );
  });
});
