import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { CreateJobPage } from "../src/features/jobs/create-job-page";
import { fakeApi, job, jobType, ok, refused, signInAs } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const echoType = jobType();

/** The page also reads the reader's queues (suggested in the queue field): this reader has none. */
const answerWithNoQueues = (answer: Parameters<typeof fakeApi>[0]) =>
  fakeApi((request) =>
    request.path.startsWith("/v1/queues?")
      ? Response.json({
          success: true,
          data: [],
          pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
        })
      : answer(request),
  );

function renderForm() {
  history.replaceState(null, "", "/jobs/new?type=echo");
  render(
    <QueryProviders client={testQueryClient()}>
      <CreateJobPage />
    </QueryProviders>,
  );
}

beforeEach(() => {
  signInAs("creator");
});

describe("creating a job", () => {
  it("sends the same Idempotency-Key again after a network failure, so the job is made once", async () => {
    let posts = 0;
    const requests = answerWithNoQueues(({ method }) => {
      if (method === "GET") return ok(200, [echoType], "Job types retrieved");
      posts += 1;
      return posts === 1 ? "network-error" : ok(201, job({ type: "echo", status: "pending" }), "Job created");
    });
    renderForm();
    const payload = await screen.findByLabelText("Payload (JSON)");
    await userEvent.clear(payload);
    await userEvent.type(payload, '{{ "order": 4711 }');
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "No answer from the server. The server could not be reached (Failed to fetch). Creating the job again is safe",
    );

    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    await waitFor(() => expect(window.location.pathname).toBe("/"));
    const [first, second] = requests.filter((r) => r.method === "POST");
    expect(JSON.parse(first?.body ?? "")).toEqual({ type: "echo", payload: { order: 4711 } });
    expect(first?.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers.get("idempotency-key")).toBe(first?.headers.get("idempotency-key"));
  });

  it("uses a new key once the payload changed: that is another job", async () => {
    const requests = answerWithNoQueues(({ method }) =>
      method === "GET" ? ok(200, [echoType], "Job types retrieved") : "network-error",
    );
    renderForm();
    const payload = await screen.findByLabelText("Payload (JSON)");
    await userEvent.clear(payload);
    await userEvent.type(payload, '{{ "n": 1 }');
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    await screen.findByRole("alert");
    await userEvent.clear(payload);
    await userEvent.type(payload, '{{ "n": 2 }');
    await userEvent.click(screen.getByRole("button", { name: "Create job" }));
    await screen.findByRole("alert");

    const keys = requests.filter((r) => r.method === "POST").map((r) => r.headers.get("idempotency-key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("starts from another job's type and payload with ?from=", async () => {
    const source = job({ type: "echo", payload: { order: 4711 } });
    answerWithNoQueues(({ path }) =>
      path === `/v1/jobs/${source.id}`
        ? ok(200, source, "Job retrieved")
        : ok(200, [echoType], "Job types retrieved"),
    );
    history.replaceState(null, "", `/jobs/new?from=${source.id}`);
    render(
      <QueryProviders client={testQueryClient()}>
        <CreateJobPage />
      </QueryProviders>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading job types…");
    expect(await screen.findByLabelText("Payload (JSON)")).toHaveValue('{\n  "order": 4711\n}');
    expect(screen.getByLabelText("Type")).toHaveValue("echo");
  });

  it("says so when the job types cannot be loaded, and tries again", async () => {
    let isDown = true;
    answerWithNoQueues(() =>
      isDown ? refused(503, "UNAVAILABLE", "Try later") : ok(200, [echoType], "Job types retrieved"),
    );
    renderForm();
    expect(await screen.findByRole("heading", { name: "Job types could not be loaded" })).toBeInTheDocument();
    isDown = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByLabelText("Payload (JSON)")).toBeInTheDocument();
  });
});
