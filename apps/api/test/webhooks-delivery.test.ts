import {
  JobResponseSchema,
  JobSchema,
  ListWebhookDeliveriesResponseSchema,
  WebhookMessageAcceptedResponseSchema,
  WebhookResponseSchema,
  WebhookWithSecretResponseSchema,
  type WebhookBody,
  type WebhookDelivery,
  type WebhookWithSecret,
} from "@jobdeck/contract";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";
import { until } from "./support/wait.js";
import {
  isSignedBy,
  startReceiver,
  type Received,
  waitFor,
  type WebhookReceiver,
} from "./support/webhook-receiver.js";

/**
 * §13 against a real receiver: a local HTTP server records every request, and each one is checked
 * with the `standardwebhooks` package, as a receiver would check it. The server runs a worker (so
 * a webhook sender) with a short attempt timeout; the backoff between job attempts is short too.
 */

const providers = await testProviders();

const ALL_EVENTS = ["job.created", "job.started", "job.completed", "job.failed", "job.cancelled"] as const;
const TIMEOUT_MS = 1_000;

describe.each(providers)("webhook deliveries on %s", (provider) => {
  const suite = serveSuite(provider, {
    WORKER_CONCURRENCY: "2",
    WORKER_BACKOFF_BASE_MS: "10",
    WORKER_BACKOFF_MAX_MS: "20",
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    WEBHOOK_POLL_MS: "200",
  });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  const createWebhook = async (body: WebhookBody, token = suite.alice): Promise<WebhookWithSecret> => {
    const response = await suite.server.request("/v1/webhooks", postJson(body, token));
    expect(response.status, response.text).toBe(201);
    return WebhookWithSecretResponseSchema.parse(response.body).data;
  };

  const createJob = async (body: unknown, token = suite.alice) => {
    const response = await suite.server.request("/v1/jobs", postJson(body, token));
    expect(response.status, response.text).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  };

  const deliveries = async (webhookId: string): Promise<WebhookDelivery[]> => {
    const response = await suite.server.request(`/v1/webhooks/${webhookId}/deliveries?limit=100`, {
      token: suite.alice,
    });
    expect(response.status, response.text).toBe(200);
    return ListWebhookDeliveriesResponseSchema.parse(response.body).data;
  };

  /** Until no message is waiting to be sent: every event so far has had its answer. */
  const allSent = () =>
    until(
      async () => (await suite.server.prisma.webhookMessage.count({ where: { status: "pending" } })) === 0,
    );

  const ofJob = (requests: Received[], jobId: string) => requests.filter((r) => r.json.data.id === jobId);

  it("sends each event of a job once, signed, with the job as it was then; a retry back to pending sends nothing", async () => {
    const hook = await createWebhook({ url: `${receiver.url}/all`, events: [...ALL_EVENTS] });
    const echo = await createJob({ type: "echo", payload: { n: 1 } });
    // Refused at once, three times (maxAttempts 3), then failed: two retries in between.
    const failing = await createJob({
      type: "http.request",
      payload: { url: "http://127.0.0.1:1/", method: "GET" },
    });
    const later = await createJob({ type: "echo", payload: {}, delayMs: 3_600_000 });
    const cancel = await suite.post(`/v1/jobs/${later.id}/cancel`, suite.alice);
    expect(cancel.status).toBe(200);

    await waitFor(
      () =>
        ofJob(receiver.at("/all"), echo.id).length >= 3 &&
        ofJob(receiver.at("/all"), failing.id).some((r) => r.json.type === "job.failed") &&
        ofJob(receiver.at("/all"), later.id).length >= 2,
      20_000,
    );
    await allSent();
    const requests = receiver.at("/all");
    const types = (jobId: string) => ofJob(requests, jobId).map((r) => r.json.type);
    // Messages due together are sent side by side (WEBHOOK_CONCURRENCY): no order between them.
    expect(types(echo.id).sort()).toEqual(["job.completed", "job.created", "job.started"]);
    expect(types(failing.id).sort()).toEqual(
      ["job.created", "job.started", "job.started", "job.started", "job.failed"].sort(),
    );
    expect(types(later.id).sort()).toEqual(["job.cancelled", "job.created"]);

    const statusOf = {
      "job.created": "pending",
      "job.started": "running",
      "job.completed": "completed",
      "job.failed": "failed",
      "job.cancelled": "cancelled",
    } as Record<string, string>;
    for (const request of requests) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(request.headers["webhook-timestamp"]).toMatch(/^[0-9]{10}$/);
      expect(request.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(isSignedBy(request, hook.secret)).toBe(true);
      expect(Object.keys(request.json).sort()).toEqual(["data", "timestamp", "type"]);
      const job = JobSchema.parse(request.json.data);
      expect(job.status).toBe(statusOf[request.json.type]);
      // The event's time: the job's updatedAt at that change, in the same ISO form.
      expect(request.json.timestamp).toBe(job.updatedAt);
    }
    const completed = ofJob(requests, echo.id).find((r) => r.json.type === "job.completed")!;
    expect(JobSchema.parse(completed.json.data).result).toEqual({ n: 1 });
    // One message per event: no id twice.
    const ids = requests.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(ids.length);

    const log = await deliveries(hook.id);
    expect(log).toHaveLength(requests.length);
    for (const delivery of log) {
      expect(delivery).toMatchObject({ attempt: 1, statusCode: 200, error: null, nextAttemptAt: null });
      expect(delivery.durationMs).toBeGreaterThanOrEqual(0);
    }
    const sorted = [...log].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    expect(log.map((d) => d.id)).toEqual(sorted.map((d) => d.id));
    expect(new Set(log.map((d) => d.webhookMessageId))).toEqual(new Set(ids));
    expect(log.find((d) => d.webhookMessageId === completed.headers["webhook-id"])).toMatchObject({
      eventType: "job.completed",
      jobId: echo.id,
    });
  });

  it("sends only what a webhook's events and filter match: lists are any of, both must match", async () => {
    const byType = await createWebhook({
      url: `${receiver.url}/by-type`,
      events: ["job.created"],
      filter: { type: ["echo", "nothing.such"] },
    });
    const byQueue = await createWebhook({
      url: `${receiver.url}/by-queue`,
      events: ["job.created"],
      filter: { queue: ["q1"] },
    });
    const both = await createWebhook({
      url: `${receiver.url}/both`,
      events: ["job.created"],
      filter: { type: ["echo"], queue: ["q1"] },
    });
    const onlyCompleted = await createWebhook({
      url: `${receiver.url}/completed`,
      events: ["job.completed"],
    });
    const bobs = await createWebhook({ url: `${receiver.url}/bob`, events: ["job.created"] }, suite.bob);
    void [byType, byQueue, both, onlyCompleted, bobs];

    const echoDefault = await createJob({ type: "echo", payload: {} });
    const echoQ1 = await createJob({ type: "echo", payload: {}, queue: "q1" });
    const sleepQ1 = await createJob({ type: "sleep", payload: { ms: 0 }, queue: "q1" });
    const sleepQ2 = await createJob({ type: "sleep", payload: { ms: 0 }, queue: "q2" });
    await waitFor(() => receiver.at("/completed").length >= 4);
    await allSent();

    const jobIds = (path: string) =>
      receiver
        .at(path)
        .map((r) => r.json.data.id as string)
        .sort();
    expect(jobIds("/by-type")).toEqual([echoDefault.id, echoQ1.id].sort());
    expect(jobIds("/by-queue")).toEqual([echoQ1.id, sleepQ1.id].sort());
    expect(jobIds("/both")).toEqual([echoQ1.id]);
    expect(jobIds("/completed")).toEqual([echoDefault.id, echoQ1.id, sleepQ1.id, sleepQ2.id].sort());
    expect(receiver.at("/by-type").every((r) => r.json.type === "job.created")).toBe(true);
    expect(receiver.at("/completed").every((r) => r.json.type === "job.completed")).toBe(true);
    // Another user's jobs are never sent to alice's webhooks, nor hers to bob's.
    expect(receiver.at("/bob")).toEqual([]);
  });

  it("retries after 500s with the same webhook-id, about 1 s then 2 s later, and logs every attempt", async () => {
    let failuresLeft = 2;
    receiver.answer = (request) => (request.path === "/flaky" && failuresLeft-- > 0 ? 500 : 200);
    const hook = await createWebhook({ url: `${receiver.url}/flaky`, events: ["job.completed"] });
    const job = await createJob({ type: "echo", payload: {} });
    await waitFor(() => receiver.at("/flaky").length >= 3, 20_000);
    await allSent();
    const attempts = receiver.at("/flaky");
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    for (const attempt of attempts) expect(isSignedBy(attempt, hook.secret)).toBe(true);
    expect(attempts[0]!.json.data.id).toBe(job.id);
    // The n-th retry about 2^(n−1) s after the failure before it, ±20 %: strict lower bounds.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(800);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1_600);

    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.attempt, d.statusCode])).toEqual([
      [3, 200],
      [2, 500],
      [1, 500],
    ]);
    expect(log[0]).toMatchObject({
      error: null,
      nextAttemptAt: null,
      eventType: "job.completed",
      jobId: job.id,
    });
    for (const failed of log.slice(1)) {
      expect(failed.error).toEqual({ code: "HTTP_STATUS", message: "the receiver answered 500" });
      expect(failed.nextAttemptAt).not.toBeNull();
      expect(Date.parse(failed.nextAttemptAt!)).toBeGreaterThan(Date.parse(failed.createdAt));
    }
    expect(new Set(log.map((d) => d.webhookMessageId))).toEqual(
      new Set([attempts[0]!.headers["webhook-id"]]),
    );
    receiver.answer = () => 200;
  });

  it("retries after a timeout with the same webhook-id", async () => {
    let isFirst = true;
    receiver.answer = (request) => {
      if (request.path !== "/slow" || !isFirst) return 200;
      isFirst = false;
      return "hang";
    };
    const hook = await createWebhook({ url: `${receiver.url}/slow`, events: ["job.created"] });
    await createJob({ type: "echo", payload: {} });
    await waitFor(() => receiver.at("/slow").length >= 2, 20_000);
    await allSent();
    const attempts = receiver.at("/slow");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.headers["webhook-id"]).toBe(attempts[0]!.headers["webhook-id"]);
    expect(attempts[1]!.body).toBe(attempts[0]!.body);
    expect(isSignedBy(attempts[1]!, hook.secret)).toBe(true);
    // The timeout, then the first retry's 1 s (−20 %); the timeout's clock started before the first
    // request reached the receiver (connect, send), so allow that much.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(TIMEOUT_MS + 800 - 100);
    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.attempt, d.statusCode, d.error?.code ?? null])).toEqual([
      [2, 200, null],
      [1, null, "TIMEOUT"],
    ]);
    receiver.answer = () => 200;
  });

  it("redelivers a message: the same webhook-id and body, a new timestamp and signature", async () => {
    const hook = await createWebhook({ url: `${receiver.url}/again`, events: ["job.created"] });
    await createJob({ type: "echo", payload: {} });
    await waitFor(() => receiver.at("/again").length >= 1);
    await allSent();
    const [delivery] = await deliveries(hook.id);
    // The next whole second, so the new timestamp differs.
    await delay(1_100);
    const response = await suite.post(
      `/v1/webhooks/${hook.id}/deliveries/${delivery!.id}/redeliver`,
      suite.alice,
    );
    expect(response.status, response.text).toBe(202);
    const accepted = WebhookMessageAcceptedResponseSchema.parse(response.body);
    expect(accepted.data.webhookMessageId).toBe(delivery!.webhookMessageId);
    await waitFor(() => receiver.at("/again").length >= 2);
    await allSent();
    const [first, again] = receiver.at("/again");
    expect(again!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(again!.body).toBe(first!.body);
    expect(Number(again!.headers["webhook-timestamp"])).toBeGreaterThan(
      Number(first!.headers["webhook-timestamp"]),
    );
    expect(again!.headers["webhook-signature"]).not.toBe(first!.headers["webhook-signature"]);
    expect(isSignedBy(again!, hook.secret)).toBe(true);
    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.attempt, d.statusCode, d.webhookMessageId])).toEqual([
      [2, 200, delivery!.webhookMessageId],
      [1, 200, delivery!.webhookMessageId],
    ]);
  });

  it("signs with the new secret only, once rotated", async () => {
    const hook = await createWebhook({ url: `${receiver.url}/rotated`, events: ["job.created"] });
    await createJob({ type: "echo", payload: {} });
    await waitFor(() => receiver.at("/rotated").length >= 1);
    const rotated = await suite.post(`/v1/webhooks/${hook.id}/rotate-secret`, suite.alice);
    expect(rotated.status, rotated.text).toBe(200);
    const { secret } = WebhookWithSecretResponseSchema.parse(rotated.body).data;
    expect(secret).not.toBe(hook.secret);
    await createJob({ type: "echo", payload: {} });
    await waitFor(() => receiver.at("/rotated").length >= 2);
    const [before, after] = receiver.at("/rotated");
    expect(isSignedBy(before!, hook.secret)).toBe(true);
    expect(isSignedBy(after!, secret)).toBe(true);
    expect(isSignedBy(after!, hook.secret)).toBe(false);
    // A test message after the rotation too.
    expect((await suite.post(`/v1/webhooks/${hook.id}/test`, suite.alice)).status).toBe(202);
    await waitFor(() => receiver.at("/rotated").length >= 3);
    expect(isSignedBy(receiver.at("/rotated")[2]!, secret)).toBe(true);
    expect(isSignedBy(receiver.at("/rotated")[2]!, hook.secret)).toBe(false);
  });

  it("never sends events that happen while a webhook is disabled; test messages go whatever", async () => {
    const hook = await createWebhook({
      url: `${receiver.url}/off`,
      events: [...ALL_EVENTS],
      isEnabled: false,
    });
    const whileOff = await createJob({ type: "echo", payload: {} });
    const test = await suite.post(`/v1/webhooks/${hook.id}/test`, suite.alice);
    expect(test.status, test.text).toBe(202);
    const { webhookMessageId } = WebhookMessageAcceptedResponseSchema.parse(test.body).data;
    await waitFor(() => receiver.at("/off").length >= 1);
    await until(async () =>
      (await suite.server.request(`/v1/jobs/${whileOff.id}`, { token: suite.alice })).text.includes(
        '"completed"',
      ),
    );
    const put = await suite.server.request(`/v1/webhooks/${hook.id}`, {
      ...postJson({ url: `${receiver.url}/off`, events: ["job.created"] }, suite.alice),
      method: "PUT",
    });
    expect(put.status, put.text).toBe(200);
    expect(WebhookResponseSchema.parse(put.body).data.isEnabled).toBe(true);
    const whileOn = await createJob({ type: "echo", payload: {} });
    await waitFor(() => receiver.at("/off").length >= 2);
    await allSent();
    const [testMessage, created] = receiver.at("/off");
    expect(testMessage!.headers["webhook-id"]).toBe(webhookMessageId);
    expect(testMessage!.json).toEqual({
      type: "webhook.test",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      data: { webhookId: hook.id },
    });
    expect(isSignedBy(testMessage!, hook.secret)).toBe(true);
    expect(created!.json).toMatchObject({ type: "job.created", data: { id: whileOn.id } });
    expect(receiver.at("/off")).toHaveLength(2);
    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.eventType, d.jobId])).toEqual([
      ["job.created", whileOn.id],
      ["webhook.test", null],
    ]);
  });
});

describe.each(providers)("webhooks with private addresses refused on %s", (provider) => {
  const suite = serveSuite(provider, {
    WORKER_CONCURRENCY: "1",
    HTTP_REQUEST_ALLOW_PRIVATE: "false",
    WEBHOOK_POLL_MS: "200",
  });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("refuses a literal private host at create and put, with nothing written", async () => {
    const port = new URL(receiver.url).port;
    for (const url of [
      receiver.url,
      `http://10.1.2.3:${port}/`,
      "http://[::1]/hook",
      "http://169.254.169.254/latest",
      "http://0.0.0.0/",
    ]) {
      const response = await suite.noWrites(() =>
        suite.server.request("/v1/webhooks", postJson({ url, events: ["job.created"] }, suite.alice)),
      );
      expect(response.status, url).toBe(400);
      expect(response.body).toMatchObject({
        success: false,
        error: { code: "VALIDATION_FAILED", details: [{ path: "url" }] },
      });
      expect(await suite.server.prisma.webhook.count()).toBe(0);
    }
    const created = await suite.server.request(
      "/v1/webhooks",
      postJson({ url: "https://hooks.example.com/x", events: ["job.created"] }, suite.alice),
    );
    expect(created.status).toBe(201);
    const { id } = WebhookWithSecretResponseSchema.parse(created.body).data;
    const put = await suite.server.request(`/v1/webhooks/${id}`, {
      ...postJson({ url: `http://192.168.0.1:${port}/`, events: ["job.created"] }, suite.alice),
      method: "PUT",
    });
    expect(put.status).toBe(400);
    expect((await suite.server.prisma.webhook.findUniqueOrThrow({ where: { id } })).url).toBe(
      "https://hooks.example.com/x",
    );
    await suite.server.request(`/v1/webhooks/${id}`, { method: "DELETE", token: suite.alice });
  });

  it("refuses a name that resolves to a private address when sending, and does not retry", async () => {
    const url = `http://localhost:${new URL(receiver.url).port}/private`;
    const created = await suite.server.request(
      "/v1/webhooks",
      postJson({ url, events: ["job.created"] }, suite.alice),
    );
    expect(created.status, created.text).toBe(201);
    const { id } = WebhookWithSecretResponseSchema.parse(created.body).data;
    expect((await suite.post(`/v1/webhooks/${id}/test`, suite.alice)).status).toBe(202);
    const log = await until(async () => {
      const response = await suite.server.request(`/v1/webhooks/${id}/deliveries?limit=10`, {
        token: suite.alice,
      });
      const page = ListWebhookDeliveriesResponseSchema.parse(response.body).data;
      return page.length > 0 && page;
    });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      eventType: "webhook.test",
      attempt: 1,
      statusCode: null,
      durationMs: null,
      nextAttemptAt: null,
      error: { code: "ADDRESS_NOT_ALLOWED" },
    });
    const message = await suite.server.prisma.webhookMessage.findFirstOrThrow({ where: { webhookId: id } });
    expect(message.status).toBe("failed");
    await delay(1_500);
    expect(receiver.received).toEqual([]);
  });
});
