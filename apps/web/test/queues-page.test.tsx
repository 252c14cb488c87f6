import type { Queue } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { QueuesPage } from "../src/features/queues/queues-page";
import { forgetStarts, recordStarts, startWatching } from "../src/features/queues/start-tracker";
import { fakeApi, job, ok, refused, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const minutesAgo = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

const queue = (patch: Partial<Queue> = {}): Queue => ({
  name: "emails",
  isPaused: false,
  concurrency: 10,
  perKeyConcurrency: 1,
  rateLimit: { limit: 100, periodMs: 60_000 },
  perKeyRateLimit: null,
  counts: { pending: 12, running: 3 },
  oldestPendingAt: minutesAgo(4),
  updatedAt: "2026-12-03T13:20:00.000Z",
  ...patch,
});

const page = (data: Queue[], nextCursor: string | null = null) =>
  Response.json({
    success: true,
    data,
    pagination: { limit: 50, nextCursor, hasMore: nextCursor !== null, isPartial: false },
  });

const isListRead = (request: SentRequest) =>
  request.method === "GET" && request.path.startsWith("/v1/queues?");

function renderPage() {
  render(
    <QueryProviders client={testQueryClient()}>
      <QueuesPage />
      <NoticeArea />
    </QueryProviders>,
  );
}

const rowOf = (name: string) => screen.getByRole("row", { name: new RegExp(`^${name} `) });

beforeEach(() => {
  signInAs("operator");
  forgetStarts();
});

describe("the Queues page", () => {
  it("shows each queue's running against its limit, what waits and for how long, page after page", async () => {
    const requests = fakeApi((request) =>
      request.path.includes("cursor=")
        ? page([
            queue({
              name: "reports",
              concurrency: null,
              counts: { pending: 0, running: 2 },
              oldestPendingAt: null,
            }),
          ])
        : page(
            [
              queue({ name: "default", concurrency: null, perKeyConcurrency: null, rateLimit: null }),
              queue(),
            ],
            "c1",
          ),
    );
    renderPage();

    const emails = await screen.findByRole("row", { name: /^emails / });
    const cells = within(emails).getAllByRole("cell");
    expect(cells.map((cell) => cell.textContent)).toEqual([
      "3 / 10",
      "12",
      "4 min",
      "—",
      "10 at once · 1 per key at once · 100 per 1 min",
      "Active",
      "Edit limits",
    ]);
    expect(within(rowOf("default")).getAllByRole("cell")[0]).toHaveTextContent("3 · no limit");
    expect(within(rowOf("default")).getAllByRole("cell")[4]).toHaveTextContent("none");

    await userEvent.click(screen.getByRole("button", { name: "Show more queues" }));
    const reports = await screen.findByRole("row", { name: /^reports / });
    expect(within(reports).getAllByRole("cell")[2]).toHaveTextContent("—");
    expect(screen.getByText("3 queues")).toBeInTheDocument();
    expect(requests.filter(isListRead).map((r) => r.path)).toEqual([
      "/v1/queues?limit=50",
      "/v1/queues?limit=50&cursor=c1",
    ]);
  });

  it("counts the starts it sees on the live updates, per queue", async () => {
    fakeApi(() => page([queue(), queue({ name: "reports" })]));
    startWatching(Date.now() - 120_000);
    const startedAt = new Date().toISOString();
    const first = job({ id: "01a2233e-3c77-70aa-8925-000000000001", queue: "emails", startedAt });
    recordStarts([first, job({ id: "01a2233e-3c77-70aa-8925-000000000002", queue: "emails", startedAt })]);
    // The same start again (a second event about the running job) is not a second start.
    recordStarts([{ ...first, status: "completed" }]);
    // Nor is an old one replayed after a reconnection.
    recordStarts([
      job({ id: "01a2233e-3c77-70aa-8925-000000000003", queue: "emails", startedAt: minutesAgo(5) }),
    ]);
    renderPage();
    expect(
      within(await screen.findByRole("row", { name: /^emails / })).getAllByRole("cell")[3],
    ).toHaveTextContent(/^2$/);
    expect(within(rowOf("reports")).getAllByRole("cell")[3]).toHaveTextContent(/^0$/);
  });

  it("pauses and resumes a queue with its switch", async () => {
    let isPaused = false;
    const requests = fakeApi((request) => {
      if (request.method === "POST") {
        isPaused = request.path.endsWith("/pause");
        return ok(200, queue({ isPaused }), isPaused ? "Queue paused" : "Queue resumed", { etag: '"8"' });
      }
      return page([queue({ isPaused })]);
    });
    renderPage();
    const toggle = await screen.findByRole("switch", { name: "Pause emails" });
    expect(toggle).not.toBeChecked();

    await userEvent.click(toggle);
    expect(await screen.findByRole("switch", { name: "Pause emails", checked: true })).toBeInTheDocument();
    expect(within(rowOf("emails")).getByText("Paused")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("switch", { name: "Pause emails" }));
    expect(await screen.findByRole("switch", { name: "Pause emails", checked: false })).toBeInTheDocument();
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
      "/v1/queues/emails/pause",
      "/v1/queues/emails/resume",
    ]);
  });

  it("edits limits in place with If-Match, and shows a 412 as changed by someone else, with a reload", async () => {
    let version = 7;
    let stored = queue();
    const requests = fakeApi((request) => {
      if (request.method === "PUT") {
        if (request.headers.get("if-match") !== `"${version}"`)
          return refused(412, "PRECONDITION_FAILED", "The queue changed since that ETag");
        version += 1;
        stored = { ...stored, ...(JSON.parse(request.body ?? "{}") as Partial<Queue>) };
        return ok(200, stored, "Queue updated", { etag: `"${version}"` });
      }
      if (request.path === "/v1/queues/emails")
        return ok(200, stored, "Queue retrieved", { etag: `"${version}"` });
      return page([stored]);
    });
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Edit limits of emails" }));
    const form = await screen.findByRole("form", { name: "Limits of emails" });
    expect(within(form).getByLabelText("Running at once")).toHaveValue("10");
    expect(within(form).getByLabelText("Starts: how many")).toHaveValue("100");
    expect(within(form).getByLabelText("Starts: period in seconds")).toHaveValue("60");

    // Someone else changes the queue while the form is open.
    version = 8;
    stored = queue({ concurrency: 20 });
    await userEvent.clear(within(form).getByLabelText("Running at once"));
    await userEvent.type(within(form).getByLabelText("Running at once"), "5");
    await userEvent.click(within(form).getByRole("button", { name: "Save limits" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Changed by someone else — reload");
    const put = requests.find((r) => r.method === "PUT");
    expect(put?.headers.get("if-match")).toBe('"7"');
    expect(JSON.parse(put?.body ?? "")).toEqual({
      concurrency: 5,
      perKeyConcurrency: 1,
      rateLimit: { limit: 100, periodMs: 60_000 },
      perKeyRateLimit: null,
    });

    // Reload: the form starts again from the queue as it is now, and saving works.
    await userEvent.click(within(form).getByRole("button", { name: "Reload" }));
    const reloaded = await screen.findByRole("form", { name: "Limits of emails" });
    expect(await within(reloaded).findByLabelText("Running at once")).toHaveValue("20");
    expect(within(reloaded).queryByRole("alert")).not.toBeInTheDocument();
    await userEvent.clear(within(reloaded).getByLabelText("Running at once"));
    await userEvent.type(within(reloaded).getByLabelText("Running at once"), "5");
    await userEvent.clear(within(reloaded).getByLabelText("Starts: how many"));
    await userEvent.clear(within(reloaded).getByLabelText("Starts: period in seconds"));
    await userEvent.click(within(reloaded).getByRole("button", { name: "Save limits" }));

    expect(await screen.findByText("Limits of emails saved")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Limits of emails" })).not.toBeInTheDocument();
    const puts = requests.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.headers.get("if-match"))).toEqual(['"7"', '"8"']);
    expect(JSON.parse(puts[1]?.body ?? "")).toMatchObject({ concurrency: 5, rateLimit: null });
    expect(within(rowOf("emails")).getAllByRole("cell")[0]).toHaveTextContent("3 / 5");
  });

  it("checks the limits before sending them", async () => {
    const requests = fakeApi((request) =>
      request.path === "/v1/queues/emails"
        ? ok(200, queue(), "Queue retrieved", { etag: '"1"' })
        : page([queue()]),
    );
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Edit limits of emails" }));
    const form = await screen.findByRole("form", { name: "Limits of emails" });
    await userEvent.clear(within(form).getByLabelText("Running at once"));
    await userEvent.type(within(form).getByLabelText("Running at once"), "0");
    await userEvent.clear(within(form).getByLabelText("Starts: period in seconds"));
    await userEvent.type(within(form).getByLabelText("Starts: period in seconds"), "0.5");
    await userEvent.click(within(form).getByRole("button", { name: "Save limits" }));
    expect(within(form).getByLabelText("Running at once")).toBeInvalid();
    expect(within(form).getByText("period: 1 to 86400 seconds")).toBeInTheDocument();
    expect(requests.some((r) => r.method === "PUT")).toBe(false);
  });

  it("configures a queue that has no jobs yet, without If-Match, and lists it", async () => {
    let queues = [queue()];
    const requests = fakeApi((request) => {
      if (request.method === "PUT") {
        const created = queue({
          name: "reports",
          ...(JSON.parse(request.body ?? "{}") as Partial<Queue>),
          counts: { pending: 0, running: 0 },
          oldestPendingAt: null,
        });
        queues = [queue(), created];
        return ok(200, created, "Queue updated", { etag: '"1"' });
      }
      return page(queues);
    });
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Configure a new queue" }));
    const naming = screen.getByRole("form", { name: "New queue" });
    await userEvent.type(within(naming).getByLabelText("Queue name"), "emails");
    await userEvent.click(within(naming).getByRole("button", { name: "Set its limits" }));
    expect(within(naming).getByLabelText("Queue name")).toHaveAccessibleDescription(
      "emails exists: edit its limits in its row",
    );
    await userEvent.clear(within(naming).getByLabelText("Queue name"));
    await userEvent.type(within(naming).getByLabelText("Queue name"), "reports");
    await userEvent.click(within(naming).getByRole("button", { name: "Set its limits" }));

    const form = screen.getByRole("form", { name: "Limits of reports" });
    expect(within(form).getByLabelText("Running at once")).toHaveValue("");
    await userEvent.type(within(form).getByLabelText("Running at once"), "2");
    await userEvent.click(within(form).getByRole("button", { name: "Save limits" }));

    expect(await screen.findByRole("row", { name: /^reports / })).toBeInTheDocument();
    const put = requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe("/v1/queues/reports");
    expect(put?.headers.has("if-match")).toBe(false);
    expect(JSON.parse(put?.body ?? "")).toEqual({
      concurrency: 2,
      perKeyConcurrency: null,
      rateLimit: null,
      perKeyRateLimit: null,
    });
  });

  it("says when there are no queues", async () => {
    fakeApi(() => page([]));
    renderPage();
    expect(await screen.findByRole("heading", { name: "No queues yet" })).toBeInTheDocument();
  });

  it("says when the queues could not be loaded, with the server's words", async () => {
    fakeApi(() => refused(503, "UNAVAILABLE", "The database cannot be reached"));
    renderPage();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The queues could not be loaded");
    expect(alert).toHaveTextContent("The database cannot be reached");
  });
});
