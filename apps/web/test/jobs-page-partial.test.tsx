import type { Job } from "@jobdeck/contract";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { JobsPage } from "../src/features/jobs/jobs-page";
import { fakeApi, job, ok, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const paused = job({ status: "pending", startedAt: null, attempts: 0, waitReason: "paused" });

const listPage = (data: Job[], nextCursor: string | null, isPartial: boolean) =>
  Response.json({
    success: true,
    data,
    pagination: { limit: 50, nextCursor, hasMore: nextCursor !== null, isPartial },
  });

const listReads = (requests: SentRequest[]) =>
  requests
    .filter((r) => r.path.startsWith("/v1/jobs?"))
    .map((r) => new URLSearchParams(r.path.split("?")[1]));

beforeEach(() => {
  signInAs("reader");
  // jsdom lays nothing out; the virtualizer reads the viewport's height from clientHeight.
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(340);
});

describe("a list filtered by wait reason, which the server reads in bounded steps", () => {
  it("says the list may be incomplete, and reads on only when asked", async () => {
    const requests = fakeApi(({ path }) => {
      if (path.startsWith("/v1/jobs?")) {
        const cursor = new URLSearchParams(path.split("?")[1]).get("cursor");
        if (cursor === null) return listPage([], "c1", true);
        if (cursor === "c1") return listPage([paused], "c2", true);
        return listPage([], null, false);
      }
      if (path.startsWith("/v1/jobs/stats"))
        return ok(200, {
          total: 1,
          byStatus: { pending: 1, running: 0, completed: 0, failed: 0, cancelled: 0 },
        });
      if (path.startsWith("/v1/queues") || path.startsWith("/v1/schedules"))
        return Response.json({
          success: true,
          data: [],
          pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
        });
      return ok(200, [], "Job types retrieved");
    });
    history.replaceState(null, "", "/?wait=paused");
    render(
      <QueryProviders client={testQueryClient()}>
        <JobsPage />
      </QueryProviders>,
    );

    // The first step found nothing: not "no jobs match", but "none found yet".
    expect(await screen.findByRole("heading", { name: "No matching jobs found yet" })).toBeInTheDocument();
    expect(screen.getByText(/This list may be incomplete/)).toBeInTheDocument();
    expect(listReads(requests)[0]?.get("waitReason")).toBe("paused");

    await userEvent.click(screen.getByRole("button", { name: "Keep searching" }));
    expect(await screen.findByRole("link", { name: `Job ${paused.id}` })).toBeInTheDocument();
    // Partial again: the table does not read on by itself.
    expect(screen.getByText(/This list may be incomplete/)).toBeInTheDocument();
    expect(listReads(requests).map((query) => query.get("cursor"))).toEqual([null, "c1"]);

    await userEvent.click(screen.getByRole("button", { name: "Keep searching" }));
    expect(await screen.findByText("End of list · 1 job")).toBeInTheDocument();
    expect(listReads(requests).map((query) => query.get("cursor"))).toEqual([null, "c1", "c2"]);
  });
});
