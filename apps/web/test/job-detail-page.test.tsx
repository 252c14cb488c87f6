import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { addJob, forgetLiveUpdates, type JobListData } from "../src/features/jobs/job-cache";
import { JobDetailPage } from "../src/features/jobs/job-detail-page";
import { queryKeys } from "../src/lib/query-keys";
import { fakeApi, job, ok, signInAs } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const row = job({ type: "resize", status: "pending", attempts: 0, startedAt: null });

beforeEach(() => {
  signInAs("reader");
  forgetLiveUpdates();
});

const overview = () => screen.getByRole("region", { name: "Overview" });

describe("the job page before its own answer", () => {
  it("shows a job opened from the list at once, from its row, then the server's version", async () => {
    let answer: (response: Response) => void = () => {};
    const requests = fakeApi(() => new Promise<Response>((resolve) => (answer = resolve)));
    const client = testQueryClient();
    client.setQueryData<JobListData>(queryKeys.listJobs.query({ sortBy: "createdAt", sortOrder: "desc" }), {
      pages: [
        {
          status: 200,
          body: {
            success: true,
            data: [row],
            pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
          },
          headers: new Headers(),
        },
      ],
      pageParams: [undefined],
    });
    render(
      <QueryProviders client={client}>
        <JobDetailPage jobId={row.id} />
      </QueryProviders>,
    );

    expect(screen.getByRole("heading", { name: "resize", level: 1 })).toBeInTheDocument();
    expect(within(overview()).getByText("pending")).toBeInTheDocument();
    expect(requests.map((r) => r.path)).toEqual([`/v1/jobs/${row.id}`]);

    answer(ok(200, { ...row, status: "running", updatedAt: "2026-11-28T10:00:02.000Z" }, "Job retrieved"));
    expect(await within(overview()).findByText("running")).toBeInTheDocument();
  });

  it("shows a job just created without waiting for the server", () => {
    fakeApi(() => new Promise<Response>(() => {}));
    const client = testQueryClient();
    addJob(client, row);
    render(
      <QueryProviders client={client}>
        <JobDetailPage jobId={row.id} />
      </QueryProviders>,
    );
    expect(screen.getByRole("heading", { name: "resize", level: 1 })).toBeInTheDocument();
    expect(screen.queryByText("Loading job…")).not.toBeInTheDocument();
  });

  it("says when the job is not the reader's", async () => {
    fakeApi(() =>
      Response.json(
        { success: false, error: { code: "NOT_FOUND", message: "Job not found" } },
        { status: 404 },
      ),
    );
    render(
      <QueryProviders client={testQueryClient()}>
        <JobDetailPage jobId={row.id} />
      </QueryProviders>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading job…");
    expect(await screen.findByRole("heading", { name: "Job not found" })).toBeInTheDocument();
  });
});

describe("where a job came from (§12)", () => {
  it("links its schedule, and the list filtered by its schedule or its batch", async () => {
    const scheduleId = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a";
    const batchId = "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5c";
    fakeApi(() => ok(200, { ...row, scheduleId, batchId }, "Job retrieved"));
    render(
      <QueryProviders client={testQueryClient()}>
        <JobDetailPage jobId={row.id} />
      </QueryProviders>,
    );
    await screen.findByRole("region", { name: "Overview" });
    expect(within(overview()).getByRole("link", { name: "Jobs of this schedule" })).toHaveAttribute(
      "href",
      `/?schedule=${scheduleId}`,
    );
    expect(within(overview()).getByTitle("The schedule that made this job")).toHaveAttribute(
      "href",
      `/schedules/${scheduleId}`,
    );
    expect(within(overview()).getByRole("link", { name: "Jobs of this batch" })).toHaveAttribute(
      "href",
      `/?batch=${batchId}`,
    );
  });
});
