import type { Job } from "@jobdeck/contract";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { forgetLiveUpdates } from "../src/features/jobs/job-cache";
import { JobDetailPage } from "../src/features/jobs/job-detail-page";
import { fakeApi, job, ok, refused, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const retried = job({ id: "01a2233e-3c77-70aa-8925-00000000000e", status: "pending", attempts: 0 });

function renderJobPage(shown: Job) {
  history.replaceState(null, "", `/jobs/${shown.id}`);
  render(
    <QueryProviders client={testQueryClient()}>
      <JobDetailPage jobId={shown.id} />
      <NoticeArea />
    </QueryProviders>,
  );
}

const overview = () => screen.getByRole("region", { name: "Overview" });

beforeEach(() => {
  signInAs("tester");
  // Versions of the job that an earlier test's answers taught the cache.
  forgetLiveUpdates();
});

describe("cancel and retry on the job page", () => {
  it("cancels a running job through the API and shows it cancelled", async () => {
    const running = job();
    const requests = fakeApi(({ method, path }) =>
      method === "POST" && path === `/v1/jobs/${running.id}/cancel`
        ? ok(200, { ...running, status: "cancelled", updatedAt: "2026-11-28T10:00:05.000Z" }, "Job cancelled")
        : ok(200, running, "Job retrieved"),
    );
    renderJobPage(running);
    await userEvent.click(await screen.findByRole("button", { name: "Cancel job" }));

    expect(await within(overview()).findByText("cancelled")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry as new job" })).toBeInTheDocument();
    expect(screen.getByText("Job cancelled")).toBeInTheDocument();
    const cancel = requests.find((r) => r.method === "POST") as SentRequest;
    expect(cancel.headers.get("authorization")).toMatch(/^Bearer /);
  });

  it("shows the API's reason when the job ended before the cancel arrived, and reads the job again", async () => {
    const running = job();
    let isEnded = false;
    const requests = fakeApi(({ method }) => {
      if (method === "POST") {
        isEnded = true;
        return refused(
          409,
          "CONFLICT",
          "Job is already completed; only pending or running jobs can be cancelled",
        );
      }
      return ok(200, isEnded ? { ...running, status: "completed", result: { sleptMs: 60000 } } : running);
    });
    renderJobPage(running);
    await userEvent.click(await screen.findByRole("button", { name: "Cancel job" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Job is already completed; only pending or running jobs can be cancelled",
    );
    expect(await within(overview()).findByText("completed")).toBeInTheDocument();
    // The job read twice (its attempts and log, §14, are read besides).
    expect(requests.filter((r) => r.method === "GET" && r.path === `/v1/jobs/${running.id}`)).toHaveLength(2);
  });

  it("retries with an Idempotency-Key, sends the same key again after a network failure, and opens the new job", async () => {
    const cancelled = job({ status: "cancelled", finishedAt: "2026-11-28T10:00:05.000Z" });
    let posts = 0;
    const requests = fakeApi(({ method }) => {
      if (method !== "POST") return ok(200, cancelled);
      posts += 1;
      // The first retry never reaches the server.
      return posts === 1 ? "network-error" : ok(201, retried, "Job created as a retry");
    });
    renderJobPage(cancelled);
    const retry = await screen.findByRole("button", { name: "Retry as new job" });
    await userEvent.click(retry);
    expect(await screen.findByRole("alert")).toHaveTextContent("The server could not be reached");

    await userEvent.click(retry);
    expect(await screen.findByText("Retrying as a new job")).toBeInTheDocument();
    expect(window.location.pathname).toBe(`/jobs/${retried.id}`);

    const [first, second] = requests.filter((r) => r.method === "POST");
    expect(first?.path).toBe(`/v1/jobs/${cancelled.id}/retry`);
    expect(first?.headers.get("idempotency-key")).toMatch(UUID);
    expect(second?.headers.get("idempotency-key")).toBe(first?.headers.get("idempotency-key"));
  });

  it("uses a new key for a new retry once the last one succeeded", async () => {
    const failed = job({
      id: "01a2233e-3c77-70aa-8925-00000000000f",
      status: "failed",
      error: { code: "HTTP_SERVER_ERROR", message: "GET http://127.0.0.1:9/ answered 503" },
    });
    const requests = fakeApi(({ method }) =>
      method === "POST" ? ok(201, retried, "Job created as a retry") : ok(200, failed),
    );
    renderJobPage(failed);
    await userEvent.click(await screen.findByRole("button", { name: "Retry as new job" }));
    await waitFor(() => expect(window.location.pathname).toBe(`/jobs/${retried.id}`));
    history.replaceState(null, "", `/jobs/${failed.id}`);
    await userEvent.click(screen.getByRole("button", { name: "Retry as new job" }));

    const keys = requests.filter((r) => r.method === "POST").map((r) => r.headers.get("idempotency-key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("says so when the server answers with the job an earlier retry made", async () => {
    const completed = job({ status: "completed", result: { sleptMs: 60000 } });
    fakeApi(({ method }) =>
      method === "POST"
        ? ok(201, retried, "Job created as a retry", { "Idempotent-Replayed": "true" })
        : ok(200, completed),
    );
    renderJobPage(completed);
    await userEvent.click(await screen.findByRole("button", { name: "Retry as new job" }));
    expect(await screen.findByText("Already retried: this is the new job")).toBeInTheDocument();
  });
});
