import type { Webhook, WebhookDelivery } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { NewWebhookPage } from "../src/features/webhooks/new-webhook-page";
import { WebhookPage } from "../src/features/webhooks/webhook-page";
import { WebhooksPage } from "../src/features/webhooks/webhooks-page";
import { fakeApi, jobType, ok, refused, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const WEBHOOK_ID = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2IYKfdcg1Xo=";
const JOB_ID = "01a23c14-75dd-7328-a0b2-20ec35b135c7";
/** A time as the lists show it: its distance from now ("8 hours ago"), the exact time on hover. */
const RELATIVE_TIME = /^(now|in .+|.+ ago)$/;

const webhook = (patch: Partial<Webhook> = {}): Webhook => ({
  id: WEBHOOK_ID,
  url: "https://example.com/hooks/jobdeck",
  events: ["job.completed", "job.failed"],
  filter: {},
  isEnabled: true,
  createdAt: "2026-12-04T12:00:00.000Z",
  updatedAt: "2026-12-04T12:00:00.000Z",
  ...patch,
});

const delivery = (patch: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: "0193a4c3-0a11-7e0c-8f6a-4d2b1c0e9f01",
  eventType: "job.completed",
  jobId: JOB_ID,
  webhookMessageId: "msg_1",
  attempt: 1,
  statusCode: 200,
  durationMs: 41,
  error: null,
  nextAttemptAt: null,
  createdAt: "2026-12-04T12:00:02.000Z",
  ...patch,
});

const page = (data: unknown[], nextCursor: string | null = null) =>
  Response.json({
    success: true,
    data,
    pagination: { limit: 25, nextCursor, hasMore: nextCursor !== null, isPartial: false },
  });

const common = (request: SentRequest): Response | undefined => {
  if (request.path === "/v1/job-types") return ok(200, [jobType(), jobType({ type: "sleep" })]);
  if (request.path.startsWith("/v1/queues?")) return page([]);
  return undefined;
};

function renderWith(element: React.ReactNode) {
  const client = testQueryClient();
  render(
    <QueryProviders client={client}>
      {element}
      <NoticeArea />
    </QueryProviders>,
  );
  return client;
}

beforeEach(() => {
  signInAs("integrator");
});

describe("the Webhooks page", () => {
  it("lists webhooks with what they send, and says when there are none or they could not be loaded", async () => {
    let answer: () => Response = () => refused(503, "UNAVAILABLE", "The database cannot be reached");
    fakeApi(() => answer());
    renderWith(<WebhooksPage />);
    expect(await screen.findByRole("alert")).toHaveTextContent("The webhooks could not be loaded");
    answer = () => page([]);
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "No webhooks yet" })).toBeInTheDocument();
  });

  it("shows each webhook's endpoint, events and filter, and turns it off and on with a PUT of the whole webhook", async () => {
    let stored = webhook({ filter: { type: ["echo"], queue: ["emails"] } });
    const requests = fakeApi((request) => {
      if (request.method === "PUT") {
        stored = { ...stored, ...(JSON.parse(request.body ?? "{}") as Partial<Webhook>) };
        return ok(200, stored, "Webhook updated");
      }
      return page([stored]);
    });
    renderWith(<WebhooksPage />);
    const row = await screen.findByRole("row", { name: /^https:\/\/example.com\/hooks\/jobdeck / });
    expect(
      within(row)
        .getAllByRole("cell")
        .map((cell) => cell.textContent),
    ).toEqual([
      "job.completed, job.failed",
      "type echo · queue emails",
      expect.stringMatching(RELATIVE_TIME),
      "Enabled",
    ]);
    const toggle = within(row).getByRole("switch", {
      name: "Enable webhook https://example.com/hooks/jobdeck",
    });
    expect(toggle).toBeChecked();
    await userEvent.click(toggle);
    await vi.waitFor(() => expect(toggle).not.toBeChecked());
    expect(JSON.parse(requests.find((r) => r.method === "PUT")?.body ?? "")).toEqual({
      url: "https://example.com/hooks/jobdeck",
      events: ["job.completed", "job.failed"],
      filter: { type: ["echo"], queue: ["emails"] },
      isEnabled: false,
    });
  });
});

describe("creating a webhook", () => {
  it("shows the secret once, with a copy button and a warning, and keeps it nowhere", async () => {
    const user = userEvent.setup();
    vi.stubGlobal("isSecureContext", true);
    const requests = fakeApi((request) => {
      const answer = common(request);
      if (answer) return answer;
      if (request.method === "POST") {
        const body = JSON.parse(request.body ?? "{}") as Partial<Webhook>;
        return ok(201, { ...webhook(body), secret: SECRET }, "Webhook created");
      }
      if (request.path === `/v1/webhooks/${WEBHOOK_ID}`) return ok(200, webhook());
      return page([]);
    });
    const client = renderWith(<NewWebhookPage />);
    const form = await screen.findByRole("form", { name: "New webhook" });
    await user.type(within(form).getByLabelText("Endpoint URL"), "https://example.com/hooks/jobdeck");
    // Completed and failed are ticked to start with.
    expect(within(form).getByRole("checkbox", { name: /^job.completed/ })).toBeChecked();
    await user.click(within(form).getByRole("checkbox", { name: /^job.failed/ }));
    await user.click(within(form).getByRole("checkbox", { name: /^job.created/ }));
    await user.click(await within(form).findByRole("checkbox", { name: "sleep" }));
    await user.type(within(form).getByLabelText("Only these queues"), "emails, reports");
    await user.click(within(form).getByRole("button", { name: "Create webhook" }));

    const reveal = await screen.findByRole("region", { name: "Signing secret" });
    expect(within(reveal).getByLabelText("Signing secret")).toHaveTextContent(SECRET);
    expect(reveal).toHaveTextContent("Copy it now: you will not see it again.");
    await user.click(within(reveal).getByRole("button", { name: "Copy signing secret" }));
    expect(await screen.findByText("Copied signing secret")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    expect(JSON.parse(requests.find((r) => r.method === "POST")?.body ?? "")).toEqual({
      url: "https://example.com/hooks/jobdeck",
      events: ["job.created", "job.completed"],
      filter: { type: ["sleep"], queue: ["emails", "reports"] },
      isEnabled: true,
    });
    // Nothing cached holds it: a later page cannot show it again.
    expect(
      JSON.stringify(
        client
          .getQueryCache()
          .getAll()
          .map((query) => query.state.data),
      ),
    ).not.toContain(SECRET);

    await user.click(within(reveal).getByRole("button", { name: "I have saved it: open the webhook" }));
    expect(window.location.pathname).toBe(`/webhooks/${WEBHOOK_ID}`);
  });

  it("shows the server's 400 details at their fields (a private address at the URL)", async () => {
    fakeApi((request) => {
      const answer = common(request);
      if (answer) return answer;
      if (request.method === "POST")
        return Response.json(
          {
            success: false,
            error: {
              code: "VALIDATION_FAILED",
              message: "url: private addresses are not allowed",
              details: [
                { path: "url", message: "resolves to a private address, which is not allowed here" },
                { path: "filter.queue.0", message: "must match ^[a-z0-9][a-z0-9._-]{0,63}$" },
              ],
            },
            requestId: "req-9",
          },
          { status: 400 },
        );
      return page([]);
    });
    renderWith(<NewWebhookPage />);
    const form = await screen.findByRole("form", { name: "New webhook" });
    await userEvent.type(within(form).getByLabelText("Endpoint URL"), "http://10.0.0.1/hook");
    await userEvent.click(within(form).getByRole("button", { name: "Create webhook" }));
    const url = within(form).getByLabelText("Endpoint URL");
    await vi.waitFor(() => expect(url).toBeInvalid());
    expect(url).toHaveAccessibleDescription(expect.stringContaining("resolves to a private address"));
    expect(within(form).getByLabelText("Only these queues")).toHaveAccessibleDescription(
      expect.stringContaining("must match"),
    );
    expect(screen.queryByRole("region", { name: "Signing secret" })).not.toBeInTheDocument();
  });

  it("checks the URL and the events before sending", async () => {
    const requests = fakeApi((request) => common(request) ?? page([]));
    renderWith(<NewWebhookPage />);
    const form = await screen.findByRole("form", { name: "New webhook" });
    await userEvent.type(within(form).getByLabelText("Endpoint URL"), "ftp://example.com");
    await userEvent.click(within(form).getByRole("checkbox", { name: /^job.completed/ }));
    await userEvent.click(within(form).getByRole("checkbox", { name: /^job.failed/ }));
    await userEvent.click(within(form).getByRole("button", { name: "Create webhook" }));
    expect(within(form).getByLabelText("Endpoint URL")).toHaveAccessibleDescription(
      expect.stringContaining("must be an absolute http or https URL"),
    );
    expect(within(form).getByRole("group", { name: "Events" })).toHaveAccessibleDescription(
      expect.stringContaining("choose at least one event"),
    );
    expect(requests.some((r) => r.method === "POST")).toBe(false);
  });
});

describe("a webhook's page", () => {
  it("shows the delivery log page by page, and redelivers an attempt", async () => {
    const failed = delivery({
      id: "0193a4c3-0a11-7e0c-8f6a-4d2b1c0e9f02",
      webhookMessageId: "msg_2",
      eventType: "job.failed",
      attempt: 2,
      statusCode: 500,
      durationMs: 1250,
      error: { code: "HTTP_STATUS", message: "the receiver answered 500" },
      nextAttemptAt: "2026-12-04T12:00:06.000Z",
      createdAt: "2026-12-04T12:00:04.000Z",
    });
    let deliveries = [failed, delivery()];
    const older = delivery({
      id: "0193a4c3-0a11-7e0c-8f6a-4d2b1c0e9f00",
      webhookMessageId: "msg_0",
      eventType: "webhook.test",
      jobId: null,
      statusCode: null,
      durationMs: null,
      error: { code: "TIMEOUT", message: "no answer in 10 s" },
    });
    const requests = fakeApi((request) => {
      if (request.path === `/v1/webhooks/${WEBHOOK_ID}`) return ok(200, webhook());
      if (request.method === "POST" && request.path.endsWith("/redeliver")) {
        deliveries = [
          delivery({
            id: "0193a4c3-0a11-7e0c-8f6a-4d2b1c0e9f03",
            webhookMessageId: "msg_2",
            eventType: "job.failed",
            attempt: 3,
            createdAt: "2026-12-04T12:00:09.000Z",
          }),
          ...deliveries,
        ];
        return Response.json(
          { success: true, data: { webhookMessageId: "msg_2" }, message: "Redelivery queued" },
          { status: 202 },
        );
      }
      if (request.path.includes("/deliveries?"))
        return request.path.includes("cursor=") ? page([older]) : page(deliveries, "d1");
      return page([]);
    });
    renderWith(<WebhookPage webhookId={WEBHOOK_ID} />);

    const log = await screen.findByRole("table", { name: "Deliveries" });
    const rows = () => within(log).getAllByRole("row").slice(1);
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    const cells = within(rows()[0]!).getAllByRole("cell");
    expect(cells.slice(1, 8).map((cell) => cell.textContent)).toEqual([
      "job.failed",
      "35b135c7",
      "2",
      "500",
      "1.3 s",
      "HTTP_STATUS the receiver answered 500",
      expect.stringMatching(RELATIVE_TIME),
    ]);
    expect(within(cells[2]!).getByRole("link", { name: `Job ${JOB_ID}` })).toHaveAttribute(
      "href",
      `/jobs/${JOB_ID}`,
    );
    expect(within(rows()[1]!).getAllByRole("cell")[4]).toHaveTextContent("200");

    await userEvent.click(screen.getByRole("button", { name: "Show older deliveries" }));
    await vi.waitFor(() => expect(rows()).toHaveLength(3));
    expect(
      within(rows()[2]!)
        .getAllByRole("cell")
        .map((cell) => cell.textContent)
        .slice(1, 7),
    ).toEqual(["webhook.test", "—", "1", "none", "—", "TIMEOUT no answer in 10 s"]);

    await userEvent.click(screen.getByRole("button", { name: "Redeliver attempt 2 of job.failed (msg_2)" }));
    expect(await screen.findByText("Sent again: the new attempt appears at the top")).toBeInTheDocument();
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
      `/v1/webhooks/${WEBHOOK_ID}/deliveries/${failed.id}/redeliver`,
    ]);
    await vi.waitFor(() => expect(within(rows()[0]!).getAllByRole("cell")[3]).toHaveTextContent("3"));
    const reads = requests.filter((r) => r.path.includes("/deliveries?")).map((r) => r.path);
    expect(reads).toContain(`/v1/webhooks/${WEBHOOK_ID}/deliveries?limit=25&cursor=d1`);
  });

  it("sends a test message, and rotates the secret, showing the new one once", async () => {
    const requests = fakeApi((request) => {
      if (request.path === `/v1/webhooks/${WEBHOOK_ID}`) return ok(200, webhook());
      if (request.path.endsWith("/test"))
        return Response.json(
          { success: true, data: { webhookMessageId: "msg_t" }, message: "Test queued" },
          { status: 202 },
        );
      if (request.path.endsWith("/rotate-secret"))
        return ok(200, { ...webhook(), secret: SECRET }, "Secret rotated");
      return page([]);
    });
    renderWith(<WebhookPage webhookId={WEBHOOK_ID} />);
    expect(await screen.findByText(/Nothing sent yet/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Send test" }));
    expect(
      await screen.findByText("Test message sent: its attempt appears in the delivery log"),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Rotate secret" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, rotate" }));
    const reveal = await screen.findByRole("region", { name: "Signing secret" });
    expect(within(reveal).getByLabelText("Signing secret")).toHaveTextContent(SECRET);
    expect(reveal).toHaveTextContent("you will not see it again");
    await userEvent.click(within(reveal).getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
      `/v1/webhooks/${WEBHOOK_ID}/test`,
      `/v1/webhooks/${WEBHOOK_ID}/rotate-secret`,
    ]);
  });

  it("deletes the webhook after asking", async () => {
    const requests = fakeApi((request) => {
      if (request.method === "DELETE") return new Response(null, { status: 204 });
      if (request.path === `/v1/webhooks/${WEBHOOK_ID}`) return ok(200, webhook());
      return page([]);
    });
    renderWith(<WebhookPage webhookId={WEBHOOK_ID} />);
    await userEvent.click(await screen.findByRole("button", { name: "Delete" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect(await screen.findByText("Webhook deleted")).toBeInTheDocument();
    expect(window.location.pathname).toBe("/webhooks");
    expect(requests.find((r) => r.method === "DELETE")?.path).toBe(`/v1/webhooks/${WEBHOOK_ID}`);
  });
});
