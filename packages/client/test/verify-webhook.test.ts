import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, JobdeckError, verifyWebhook } from "../src/index.js";
import { startApiServer, type ApiServer } from "./support/api-server.js";

type Received = { headers: IncomingHttpHeaders; body: Buffer };

/** A receiver on this machine that records what it is sent and answers 204. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

const SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;

describe("webhooks.verify", () => {
  it("accepts what the standardwebhooks library signs (the library the server signs with), bytes or text", async () => {
    const body = JSON.stringify({
      type: "job.completed",
      timestamp: "2026-12-04T10:00:00.000Z",
      data: { id: "x" },
    });
    const at = new Date();
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(SECRET).sign("msg_1", at, body),
    };
    await expect(verifyWebhook(SECRET, headers, body)).resolves.toMatchObject({ type: "job.completed" });
    await expect(
      verifyWebhook(SECRET, new Headers(headers), new TextEncoder().encode(body)),
    ).resolves.toMatchObject({
      data: { id: "x" },
    });
    // A receiver between two secrets: any one matching signature is enough.
    const both = { ...headers, "webhook-signature": `v1,AAAA ${headers["webhook-signature"]}` };
    await expect(verifyWebhook(SECRET, both, body)).resolves.toMatchObject({ type: "job.completed" });
  });

  it("refuses a changed body, another secret, an old timestamp and missing headers, as INVALID_SIGNATURE", async () => {
    const body = '{"type":"job.failed"}';
    const at = new Date();
    const headers = {
      "webhook-id": "msg_2",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(SECRET).sign("msg_2", at, body),
    };
    const other = `whsec_${Buffer.from("another secret of 32 bytes......").toString("base64")}`;
    const cases: [string, () => Promise<unknown>][] = [
      ["changed body", () => verifyWebhook(SECRET, headers, body.replace("failed", "completed"))],
      ["other secret", () => verifyWebhook(other, headers, body)],
      ["old", () => verifyWebhook(SECRET, headers, body, { now: at.getTime() + 10 * 60_000 })],
      ["other id", () => verifyWebhook(SECRET, { ...headers, "webhook-id": "msg_3" }, body)],
      ["no signature", () => verifyWebhook(SECRET, { ...headers, "webhook-signature": undefined }, body)],
    ];
    for (const [what, verification] of cases) {
      const error = await verification().then(
        () => new Error(`${what}: verified`),
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(JobdeckError);
      expect((error as JobdeckError).code, what).toBe("INVALID_SIGNATURE");
    }
  });
});

describe("webhooks.verify on a real delivery (sqlite)", () => {
  let server: ApiServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    server = await startApiServer("sqlite", { WORKER_CONCURRENCY: "1" });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    receiver?.server.close();
    await server?.close();
  });

  it("verifies the message the server sent for a job, with the secret shown at registration", async () => {
    const jobdeck = createClient({ url: server.url, token: server.token("hooks") });
    const webhook = await jobdeck.webhooks.createWebhook({
      body: { url: receiver.url, events: ["job.completed"] },
    });
    const job = (await jobdeck.jobs.createJob({ body: { type: "echo", payload: { hi: 1 } } })).body.data;
    const deadline = Date.now() + 15_000;
    while (receiver.received.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const [delivery] = receiver.received;
    expect(delivery).toBeDefined();

    const message = await jobdeck.webhooks.verify(
      webhook.body.data.secret,
      delivery!.headers,
      delivery!.body,
    );
    expect(message).toMatchObject({ type: "job.completed", data: { id: job.id, status: "completed" } });
    await expect(
      jobdeck.webhooks.verify(
        webhook.body.data.secret,
        delivery!.headers,
        Buffer.concat([delivery!.body, Buffer.from(" ")]),
      ),
    ).rejects.toMatchObject({ code: "INVALID_SIGNATURE" });
  });
});
