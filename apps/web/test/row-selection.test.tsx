import type { BulkOperation, Job } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { JobsPage } from "../src/features/jobs/jobs-page";
import { fakeApi, job, ok, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const ids = [
  "01a2233e-3c77-70aa-8925-d6a9694bb001",
  "01a2233e-3c77-70aa-8925-d6a9694bb002",
  "01a2233e-3c77-70aa-8925-d6a9694bb003",
];
const jobs: Job[] = ids.map((id) => job({ id, status: "pending", startedAt: null, attempts: 0 }));

const operation = (patch: Partial<BulkOperation> = {}): BulkOperation => ({
  id: "0193a4c2-8f1e-7b3a-9c55-2f1e8d7c6b5a",
  action: "cancel",
  status: "running",
  matched: 2,
  processed: 0,
  succeeded: 0,
  skipped: 0,
  createdAt: "2026-12-04T10:00:00.000Z",
  finishedAt: null,
  ...patch,
});

function renderList() {
  const requests = fakeApi((request: SentRequest) => {
    const { path, method } = request;
    if (path.startsWith("/v1/jobs?"))
      return Response.json({
        success: true,
        data: jobs,
        pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
      });
    if (path.startsWith("/v1/jobs/stats"))
      return ok(200, {
        total: 3,
        byStatus: { pending: 3, running: 0, completed: 0, failed: 0, cancelled: 0 },
      });
    if (path === "/v1/bulk-operations" && method === "POST")
      return ok(202, operation(), "Bulk operation started");
    if (path.startsWith("/v1/bulk-operations/"))
      return ok(200, operation({ status: "completed", processed: 2, succeeded: 2 }));
    if (path.startsWith("/v1/job-types")) return ok(200, [], "Job types retrieved");
    return Response.json({
      success: true,
      data: [],
      pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
    });
  });
  render(
    <QueryProviders client={testQueryClient()}>
      <JobsPage />
    </QueryProviders>,
  );
  return requests;
}

beforeEach(() => {
  signInAs("reader");
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(340);
  history.replaceState(null, "", "/");
});

describe("ticking rows for a bulk operation", () => {
  it("acts on the ticked rows by id, without opening the job", async () => {
    const requests = renderList();
    await userEvent.click(await screen.findByRole("checkbox", { name: `Select job ${ids[0]}` }));
    await userEvent.click(screen.getByRole("checkbox", { name: `Select job ${ids[2]}` }));
    expect(location.pathname).toBe("/");
    expect(screen.getByRole("checkbox", { name: `Select job ${ids[0]}` })).toBeChecked();

    const bulk = screen.getByRole("group", { name: "Bulk actions" });
    expect(within(bulk).getByRole("status")).toHaveTextContent("2 jobs ticked");
    expect(within(bulk).queryByRole("button", { name: "Select all matching" })).not.toBeInTheDocument();
    await userEvent.selectOptions(within(bulk).getByRole("combobox", { name: "Action" }), "cancel");
    await userEvent.click(within(bulk).getByRole("button", { name: "Cancel 2 jobs…" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, cancel them" }));

    expect(await screen.findByRole("group", { name: "Bulk operation progress" })).toBeInTheDocument();
    const started = requests.find((r) => r.path === "/v1/bulk-operations" && r.method === "POST");
    expect(JSON.parse(started?.body ?? "{}")).toEqual({ action: "cancel", ids: [ids[0], ids[2]] });
    // The ticks are spent on the operation that started.
    expect(screen.getByRole("checkbox", { name: `Select job ${ids[0]}` })).not.toBeChecked();
  });

  it("ticks the active row with x, and Clear selection unticks them all", async () => {
    renderList();
    await screen.findByRole("checkbox", { name: `Select job ${ids[0]}` });
    const firstRow = screen.getByRole("link", { name: `Job ${ids[0]}` }).closest<HTMLElement>('[role="row"]');
    firstRow?.focus();
    await userEvent.keyboard("x");
    await userEvent.keyboard("{ArrowDown}x");
    expect(screen.getByRole("checkbox", { name: `Select job ${ids[0]}` })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: `Select job ${ids[1]}` })).toBeChecked();
    const bulk = screen.getByRole("group", { name: "Bulk actions" });
    expect(within(bulk).getByRole("status")).toHaveTextContent("2 jobs ticked");
    await userEvent.keyboard("x");
    expect(within(bulk).getByRole("status")).toHaveTextContent("1 job ticked");

    await userEvent.click(within(bulk).getByRole("button", { name: "Clear selection" }));
    expect(screen.getByRole("checkbox", { name: `Select job ${ids[0]}` })).not.toBeChecked();
    expect(within(bulk).getByRole("button", { name: "Select all matching" })).toBeInTheDocument();
  });
});
