/**
 * A webhook created from its page, pointing at a receiver this test starts (a node:http server on
 * loopback; the e2e servers run outside production, where private addresses are allowed): its
 * secret is shown once, a job's end is delivered, signed with that secret, and the delivery shows
 * in the log with status 200; a test message and a redelivery follow.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { expect, liveTest as test, liveUser, openSignedIn } from "../support/fixtures";

const RUN = { timeout: 20_000 };

type Received = { headers: IncomingHttpHeaders; body: string };

async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/jobdeck`, received, server };
}

/** The Standard Webhooks check: v1,base64(HMAC-SHA256(id.timestamp.body)) keyed with the secret's bytes. */
function isSigned({ headers, body }: Received, secret: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key)
    .update(`${String(headers["webhook-id"])}.${String(headers["webhook-timestamp"])}.${body}`)
    .digest();
  return String(headers["webhook-signature"] ?? "")
    .split(" ")
    .some((part) => {
      const [version, signature] = part.split(",");
      const given = Buffer.from(signature ?? "", "base64");
      return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const deliveryRows = (page: Page) =>
  page
    .getByRole("table", { name: "Deliveries" })
    .getByRole("row")
    .filter({ has: page.getByRole("button", { name: /^Redeliver/ }) });

test("a webhook created from its page shows its secret once, and its log shows a delivery with status 200", async ({
  page,
}) => {
  const { token, api } = liveUser("integrator");
  const receiver = await startReceiver();
  try {
    await openSignedIn(page, token);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByRole("heading", { name: "No webhooks yet" })).toBeVisible();
    await page.getByRole("link", { name: "New webhook" }).first().click();

    const form = page.getByRole("form", { name: "New webhook" });
    await form.getByRole("textbox", { name: "Endpoint URL" }).fill(receiver.url);
    await expect(form.getByRole("checkbox", { name: /^job.completed/ })).toBeChecked();
    await form.getByRole("checkbox", { name: "echo" }).check();
    await form.getByRole("button", { name: "Create webhook" }).click();

    const reveal = page.getByRole("region", { name: "Signing secret" });
    await expect(reveal).toContainText("you will not see it again");
    const secret = (await reveal.getByLabel("Signing secret", { exact: true }).textContent()) ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await reveal.getByRole("button", { name: "I have saved it: open the webhook" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(receiver.url);
    // Shown once: the webhook's page does not have it.
    await expect(page.getByText(secret)).toHaveCount(0);
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);

    // A job of the filtered type ends: its job.completed message arrives, signed, and is logged 200.
    const job = await api.create("echo", { hello: "hooks" });
    await api.waitForStatus(job.id, "completed");
    await expect(deliveryRows(page)).toHaveCount(1, RUN);
    const row = deliveryRows(page).first();
    await expect(row.getByRole("cell").nth(1)).toHaveText("job.completed");
    await expect(row.getByRole("link", { name: `Job ${job.id}` })).toBeVisible();
    await expect(row.getByRole("cell").nth(4)).toHaveText("200");
    expect(receiver.received).toHaveLength(1);
    const message = receiver.received[0]!;
    expect(isSigned(message, secret)).toBe(true);
    expect(JSON.parse(message.body)).toMatchObject({
      type: "job.completed",
      data: { id: job.id, status: "completed" },
    });

    // A test message, whatever the events and filter say.
    await page.getByRole("button", { name: "Send test" }).click();
    await expect(deliveryRows(page)).toHaveCount(2, RUN);
    await expect(deliveryRows(page).first().getByRole("cell").nth(1)).toHaveText("webhook.test");
    await expect(deliveryRows(page).first().getByRole("cell").nth(4)).toHaveText("200");

    // Redelivered: the same message (same webhook-id and body), a new attempt in the log.
    await deliveryRows(page)
      .filter({ hasText: "job.completed" })
      .getByRole("button", { name: /^Redeliver/ })
      .click();
    await expect(deliveryRows(page)).toHaveCount(3, RUN);
    await expect(deliveryRows(page).first().getByRole("cell").nth(1)).toHaveText("job.completed");
    await expect.poll(() => receiver.received.length, RUN).toBe(3);
    const again = receiver.received[2]!;
    expect(again.headers["webhook-id"]).toBe(message.headers["webhook-id"]);
    expect(again.body).toBe(message.body);
    expect(isSigned(again, secret)).toBe(true);

    const [logged] = await api.deliveries(new URL(page.url()).pathname.split("/").pop() ?? "");
    expect(logged).toMatchObject({ eventType: "job.completed", statusCode: 200, jobId: job.id });
  } finally {
    await new Promise((resolve) => receiver.server.close(resolve));
  }
});
