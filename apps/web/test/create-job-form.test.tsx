import type { JobType } from "@jobdeck/contract";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { CreateJobForm } from "../src/features/jobs/create-job-form";
import { rememberListSearch } from "../src/features/jobs/list-memory";
import type { TsrQueryClient } from "../src/lib/api-client";
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
      <CreateJobForm jobTypes={jobTypes} initialType={initialType} initialPayload={undefined} />
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
});
