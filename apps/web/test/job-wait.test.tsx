import type { Job, Queue } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetLiveUpdates } from "../src/features/jobs/job-cache";
import { JobDetailPage } from "../src/features/jobs/job-detail-page";
import { fakeApi, job, ok, signInAs } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const waiting = (patch: Partial<Job>): Job =>
  job({ status: "pending", attempts: 0, startedAt: null, queue: "emails", ...patch });

const emails: Queue = {
  name: "emails",
  isPaused: false,
  concurrency: 10,
  perKeyConcurrency: 3,
  rateLimit: null,
  perKeyRateLimit: null,
  counts: { pending: 40, running: 7 },
  oldestPendingAt: null,
  updatedAt: "2026-12-03T13:20:00.000Z",
};

const stats = (running: number) => ({
  total: running,
  byStatus: { pending: 0, running, completed: 0, failed: 0, cancelled: 0 },
});

function renderJob(shown: Job) {
  render(
    <QueryProviders client={testQueryClient()}>
      <JobDetailPage jobId={shown.id} />
    </QueryProviders>,
  );
}

const waitSection = () => screen.findByRole("region", { name: "Why it waits" });

beforeEach(() => {
  signInAs("reader");
  forgetLiveUpdates();
});

describe("why a pending job waits, on its page", () => {
  it("reads the key's running jobs and the queue's limit to say the key is full", async () => {
    const shown = waiting({ waitReason: "concurrency", concurrencyKey: "acme" });
    const requests = fakeApi((request) => {
      if (request.path === `/v1/jobs/${shown.id}`) return ok(200, shown, "Job retrieved");
      if (request.path === "/v1/queues/emails") return ok(200, emails, "Queue retrieved", { etag: '"3"' });
      if (request.path.startsWith("/v1/jobs/stats")) return ok(200, stats(3), "Stats retrieved");
      return Response.json({}, { status: 500 });
    });
    renderJob(shown);
    const section = await waitSection();
    expect(await within(section).findByText("key acme: 3 of 3 running")).toBeInTheDocument();
    expect(section).toHaveTextContent("May start when one of the running jobs of key acme ends.");
    const statsRead = requests.find((r) => r.path.startsWith("/v1/jobs/stats"));
    expect(new URLSearchParams(statsRead?.path.split("?")[1])).toEqual(
      new URLSearchParams({ queue: "emails", concurrencyKey: "acme", status: "running" }),
    );
  });

  it("says the queue is paused without reading anything more", async () => {
    const shown = waiting({ waitReason: "paused" });
    const requests = fakeApi(() => ok(200, shown, "Job retrieved"));
    renderJob(shown);
    const section = await waitSection();
    expect(section).toHaveTextContent("queue paused");
    expect(section).toHaveTextContent("May start once queue emails is resumed.");
    expect(requests.map((r) => r.path)).toEqual([`/v1/jobs/${shown.id}`]);
  });

  it("is not shown for a job that runs, and the overview gives the job's queue and options", async () => {
    const shown = job({ queue: "emails", priority: 5, concurrencyKey: "acme", dedupeKey: "welcome-42" });
    fakeApi(() => ok(200, shown, "Job retrieved"));
    renderJob(shown);
    const overview = await screen.findByRole("region", { name: "Overview" });
    expect(screen.queryByRole("region", { name: "Why it waits" })).not.toBeInTheDocument();
    expect(within(overview).getByRole("link", { name: "emails" })).toHaveAttribute("href", "/?queue=emails");
    expect(overview).toHaveTextContent("Priority5");
    expect(overview).toHaveTextContent("Concurrency keyacme");
    expect(overview).toHaveTextContent("Dedupe keywelcome-42");
  });
});
