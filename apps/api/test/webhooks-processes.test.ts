import { JobResponseSchema, WebhookWithSecretResponseSchema } from "@jobdeck/contract";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { assertWorkerBuilt, startWorkerProcess, type RunningProcess } from "./support/processes.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";
import { until } from "./support/wait.js";
import { isSignedBy, startReceiver, type WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * At least once across processes (§13): two worker processes send a webhook's messages; one is
 * SIGKILLed while it holds messages it claimed and has not finished sending. Every request the
 * receiver gets is recorded; the invariant is checked over the record: every event of every job
 * arrived at least once, correctly signed, and every message ended delivered.
 */

const providers = await testProviders();

const JOBS = 30;
/** The first requests take this long to answer, so the doomed process surely holds some mid-send. */
const SLOW_ANSWER_MS = 1_500;

describe.each(providers)("webhook senders in several processes on %s", (provider) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    assertWorkerBuilt([
      "webhooks/sender.ts",
      "webhooks/send-message.ts",
      "db/dialect/postgresql.ts",
      "db/dialect/sqlite.ts",
    ]);
    server = await startTestServer(provider);
    receiver = await startReceiver();
  });
  afterEach(() => {
    for (const { child } of workers) if (child.exitCode === null) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
  });

  it("loses no event when a sender is SIGKILLed between the jobs' end and the send", async () => {
    const alice = server.token("alice");
    const created = await server.request(
      "/v1/webhooks",
      postJson(
        { url: `${receiver.url}/hook`, events: ["job.created", "job.started", "job.completed"] },
        alice,
      ),
    );
    expect(created.status, created.text).toBe(201);
    const { secret } = WebhookWithSecretResponseSchema.parse(created.body).data;
    let answered = 0;
    receiver.answer = async () => {
      if (answered++ < 20) await delay(SLOW_ANSWER_MS);
      return 200;
    };

    const env = {
      WORKER_CONCURRENCY: "4",
      WORKER_LEASE_MS: "2000",
      WEBHOOK_CONCURRENCY: "4",
      WEBHOOK_TIMEOUT_MS: "3000",
      WEBHOOK_POLL_MS: "100",
    };
    const doomed = await startWorkerProcess(server.database.url, env);
    const survivor = await startWorkerProcess(server.database.url, env);
    workers.push(doomed, survivor);

    const jobIds: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const response = await server.request("/v1/jobs", postJson({ type: "echo", payload: { i } }, alice));
      expect(response.status).toBe(201);
      jobIds.push(JobResponseSchema.parse(response.body).data.id);
    }

    // Kill it while it holds a claimed message it has not finished sending.
    const pid = String(doomed.child.pid);
    const held = await until(async () => {
      const rows = await server.prisma.webhookMessage.findMany({ where: { status: "pending" } });
      return rows.find((row) => row.leaseOwner?.split(":")[1] === pid && row.attempts === 1);
    }, 30_000);
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    // Every job completed, and every event arrived.
    const expected = jobIds.flatMap((id) =>
      ["job.created", "job.started", "job.completed"].map((type) => `${id} ${type}`),
    );
    const arrived = () =>
      new Set(receiver.at("/hook").map((r) => `${String(r.json.data.id)} ${r.json.type}`));
    await until(() => Promise.resolve(expected.every((key) => arrived().has(key))), 60_000);
    await until(
      async () =>
        (await server.prisma.webhookMessage.count({ where: { status: { not: "delivered" } } })) === 0,
      30_000,
    );

    const requests = receiver.at("/hook");
    for (const request of requests) expect(isSignedBy(request, secret)).toBe(true);
    const messages = await server.prisma.webhookMessage.findMany();
    const receivedIds = new Set(requests.map((r) => String(r.headers["webhook-id"])));
    // Every message written was received; the killed sender's message among them, sent again.
    expect(messages.filter((m) => !receivedIds.has(m.id))).toEqual([]);
    expect(receivedIds.has(held.id)).toBe(true);
    const heldNow = messages.find((m) => m.id === held.id)!;
    expect(heldNow.attempts).toBeGreaterThanOrEqual(2);
    // Each job's events, at least once each (a job whose worker died starts twice).
    for (const key of expected) expect(arrived().has(key)).toBe(true);
    survivor.child.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
  });
});
