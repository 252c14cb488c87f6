import type { JobType } from "@jobdeck/contract";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { CreateJobForm } from "../src/features/jobs/create-job-form";
import { EMPTY_OPTIONS } from "../src/features/jobs/job-options";
import { rememberListSearch } from "../src/features/jobs/list-memory";
import type { TsrQueryClient } from "../src/lib/api-client";
import { fromDateTimeLocal, toDateTimeLocal } from "../src/lib/format";
import { queryKeys } from "../src/lib/query-keys";
import { fakeApi, job, jobType, ok, refused, signInAs } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const jobTypes: JobType[] = [
  jobType(),
  jobType({
    type: "sleep",
    description: "Waits",
    payloadSchema: {
      type: "object",
      properties: { ms: { type: "integer", minimum: 0 } },
      required: ["ms"],
    },
    maxAttempts: 1,
    timeoutMs: 60_000,
  }),
];

function renderForm(initialType = "echo", client: TsrQueryClient = testQueryClient()) {
  history.replaceState(null, "", `/jobs/new?type=${initialType}`);
  render(
    <QueryProviders client={client}>
      <CreateJobForm
        jobTypes={jobTypes}
        initialType={initialType}
        initialPayload={undefined}
        initialOptions={EMPTY_OPTIONS}
        queueNames={["emails"]}
      />
      <NoticeArea />
    </QueryProviders>,
  );
  return client;
}

const payload = () => screen.getByLabelText("Payload (JSON)");

async function typePayload(text: string) {
  await userEvent.clear(payload());
  // userEvent reads "{" and "[" as the start of a key name; doubled, they are typed as they are.
  await userEvent.type(
    payload(),
    text.replace(/[{[]/g, (c) => c + c),
  );
}

beforeEach(() => {
  signInAs("creator");
  rememberListSearch("");
});

describe("CreateJobForm", () => {
  it("starts from the type's example, which follows the type until the reader edits it", async () => {
    renderForm("sleep");
    expect(JSON.parse((payload() as HTMLTextAreaElement).value)).toEqual({ ms: 2000 });

    await userEvent.selectOptions(screen.getByLabelText("Type"), "echo");
    expect(JSON.parse((payload() as HTMLTextAreaElement).value)).toEqual({
      message: "Hello from jobdeck",
      count: 3,
    });
    expect(window.location.search).toBe("?type=echo");

    await typePayload('{ "mine": true }');
    await userEvent.selectOptions(screen.getByLabelText("Type"), "sleep");
    expect(payload()).toHaveValue('{ "mine": true }');
  });

  it("checks the payload against the schema on submit, and sends nothing while it fails", async () => {
    const requests = fakeApi(() => ok(201, job(), "Job created"));
    renderForm("sleep");
    await typePayload('{ "ms": -5 }');
    // Not while the reader is typing.
    expect(payload()).not.toBeInvalid();

    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    expect(payload()).toBeInvalid();
    expect(payload()).toHaveFocus();
    expect(screen.getByRole("listitem")).toHaveTextContent("ms: must be at least 0");
    expect(requests).toHaveLength(0);
  });

  it("shows the server's refusal by the field it is about", async () => {
    fakeApi(() =>
      Response.json(
        {
          success: false,
          error: {
            code: "VALIDATION_ERROR",
            message: "The job is not valid",
            details: [
              { path: "type", message: "is not a registered job type" },
              { path: "payload.message", message: "must be at most 10 characters" },
              { path: "idempotency-key", message: "was used for another job" },
            ],
          },
          requestId: "req-1",
        },
        { status: 400 },
      ),
    );
    renderForm("echo");
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The server refused the job. The job is not valid");
    expect(within(alert).getByRole("listitem")).toHaveTextContent(
      "idempotency-key: was used for another job",
    );
    expect(screen.getByLabelText("Type")).toHaveAccessibleDescription(
      expect.stringContaining("type: is not a registered job type"),
    );
    expect(payload()).toHaveAccessibleDescription(
      expect.stringContaining("message: must be at most 10 characters"),
    );

    // Editing the payload clears the refusal: it was about the payload that was sent.
    await userEvent.type(payload(), " ");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("creates the job, keeps it for its page, and goes back to the list saying it is hidden there", async () => {
    const created = job({ id: "01a2233e-3c77-70aa-8925-0000000000c1", type: "echo", status: "pending" });
    fakeApi(({ method }) => (method === "POST" ? ok(201, created, "Job created") : refused(500, "X", "no")));
    rememberListSearch("?status=failed");
    const client = renderForm("echo");
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));

    await waitFor(() => expect(window.location.pathname + window.location.search).toBe("/?status=failed"));
    expect(screen.getByText("Created echo job 000000c1 (hidden by the list's filters)")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open" })).toHaveAttribute("href", `/jobs/${created.id}`);
    expect(client.jobs.getJob.getQueryData(queryKeys.getJob.byId(created.id))?.body.data).toEqual(created);
  });

  it("sends the queue, priority, delay and concurrency key chosen, and only those", async () => {
    const requests = fakeApi(() => ok(201, job({ status: "pending" }), "Job created"));
    renderForm("echo");
    await userEvent.type(screen.getByLabelText("Queue"), "emails");
    await userEvent.type(screen.getByLabelText("Priority"), "-5");
    await userEvent.type(screen.getByLabelText("Concurrency key"), "acme");
    await userEvent.click(screen.getByRole("radio", { name: "After a delay" }));
    await userEvent.type(screen.getByLabelText("Delay"), "1.5");
    await userEvent.selectOptions(screen.getByLabelText("Delay unit"), "min");
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
      type: "echo",
      payload: { message: "Hello from jobdeck", count: 3 },
      queue: "emails",
      priority: -5,
      delayMs: 90_000,
      concurrencyKey: "acme",
    });
  });

  it("sends a start time as an instant, and refuses a queue name the server would refuse", async () => {
    const requests = fakeApi(() => ok(201, job({ status: "pending" }), "Job created"));
    renderForm("echo");
    await userEvent.type(screen.getByLabelText("Queue"), "Emails!");
    await userEvent.click(screen.getByRole("radio", { name: "At a time" }));
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    expect(screen.getByLabelText("Queue")).toBeInvalid();
    expect(screen.getByLabelText("Start time")).toHaveAccessibleDescription(
      expect.stringContaining("choose a date and time"),
    );
    expect(requests).toHaveLength(0);

    await userEvent.clear(screen.getByLabelText("Queue"));
    // userEvent cannot type into a datetime-local input in jsdom; the browser's picker sets the value.
    const tomorrow = toDateTimeLocal(Date.now() + 86_400_000);
    fireEvent.change(screen.getByLabelText("Start time"), { target: { value: tomorrow } });
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(JSON.parse(requests[0]?.body ?? "")).toMatchObject({
      runAt: new Date(fromDateTimeLocal(tomorrow) ?? 0).toISOString(),
    });
  });

  it("shows the debounce fields only for debounce, which also decides the start", async () => {
    const requests = fakeApi(() => ok(201, job({ status: "pending" }), "Job created"));
    renderForm("echo");
    expect(screen.queryByLabelText("Dedupe mode")).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Dedupe key"), "digest-42");
    await userEvent.selectOptions(screen.getByLabelText("Dedupe mode"), "replace");
    expect(screen.queryByLabelText("Debounce (s)")).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Dedupe mode"), "debounce");
    expect(screen.queryByRole("radio", { name: "After a delay" })).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Debounce (s)"), "30");
    await userEvent.type(screen.getByLabelText("Debounce at most (s)"), "10");
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    expect(screen.getByLabelText("Debounce at most (s)")).toHaveAccessibleDescription(
      expect.stringContaining("at least the debounce"),
    );

    await userEvent.clear(screen.getByLabelText("Debounce at most (s)"));
    await userEvent.type(screen.getByLabelText("Debounce at most (s)"), "300");
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(JSON.parse(requests[0]?.body ?? "")).toMatchObject({
      dedupeKey: "digest-42",
      dedupe: "debounce",
      debounceMs: 30_000,
      debounceMaxMs: 300_000,
    });
  });

  it("says a 200 was deduplicated: no job was made, the pending one holds the key", async () => {
    const holder = job({
      id: "01a2233e-3c77-70aa-8925-0000000000d1",
      type: "echo",
      status: "pending",
      dedupeKey: "digest-42",
    });
    fakeApi(() => ok(200, holder, "Job deduplicated", { deduplicated: "true" }));
    renderForm("echo");
    await userEvent.type(screen.getByLabelText("Dedupe key"), "digest-42");
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));

    expect(
      await screen.findByText(
        "Deduplicated: echo job 000000d1 already waits with dedupe key “digest-42”; it was left as it was, and no job was created",
      ),
    ).toBeInTheDocument();
    // Notices of earlier tests may still be up: this one is the newest.
    expect(screen.getAllByRole("link", { name: "Open" }).at(-1)).toHaveAttribute(
      "href",
      `/jobs/${holder.id}`,
    );
    expect(screen.queryByText(/^Created echo job 000000d1/)).not.toBeInTheDocument();
  });
});
