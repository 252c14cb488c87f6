import type { FailureGroup } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { FailuresPage } from "../src/features/housekeeping/failures-page";
import { parseDays, RetentionPage } from "../src/features/housekeeping/retention-page";
import { fakeApi, ok, refused, signInAs } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

function renderPage(page: React.ReactNode) {
  render(
    <QueryProviders client={testQueryClient()}>
      {page}
      <NoticeArea />
    </QueryProviders>,
  );
}

const group = (patch: Partial<FailureGroup> = {}): FailureGroup => ({
  type: "http.request",
  errorCode: "HTTP_503",
  count: 1234,
  latestAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  ...patch,
});

beforeEach(() => signInAs("operator"));

describe("the Failures page", () => {
  it("lists each group with a link to its failed jobs, and retries a group as one bulk retry of its filter", async () => {
    const requests = fakeApi((request) => {
      if (request.path.startsWith("/v1/jobs/failure-groups"))
        return ok(200, [group(), group({ type: "sleep", errorCode: null, count: 2, latestAt: null })]);
      if (request.path === "/v1/bulk-operations") {
        const body = JSON.parse(request.body ?? "{}") as { dryRun?: boolean };
        return body.dryRun ? ok(200, { matched: 1234 }) : refused(409, "CONFLICT", "busy");
      }
      return refused(404, "NOT_FOUND", "no");
    });
    renderPage(<FailuresPage />);
    const row = await screen.findByRole("row", { name: /http\.request HTTP_503/ });
    expect(within(row).getByRole("link", { name: "1,234" })).toHaveAttribute(
      "href",
      "/?type=http.request&status=failed&error=HTTP_503",
    );
    expect(within(row).getByText("5 minutes ago")).toBeInTheDocument();
    // A group without a code has its link (failed jobs of the type) but no retry: the filter cannot
    // select "no code", and a retry of the whole type would retry other groups too.
    const noCode = screen.getByRole("row", { name: /sleep \(no code\)/ });
    expect(within(noCode).getByRole("link", { name: "2" })).toHaveAttribute(
      "href",
      "/?type=sleep&status=failed",
    );
    expect(within(noCode).queryByRole("button")).toBeNull();

    await userEvent.click(within(row).getByRole("button", { name: "Retry this group…" }));
    expect(await within(row).findByRole("status")).toHaveTextContent("All 1,234 matching jobs selected");
    // One action, so no choice of action.
    expect(within(row).queryByRole("combobox")).toBeNull();
    const dryRun = requests.find((request) => request.path === "/v1/bulk-operations");
    expect(JSON.parse(dryRun?.body ?? "{}")).toEqual({
      action: "retry",
      filter: { status: "failed", type: "http.request", errorCode: "HTTP_503" },
      dryRun: true,
    });
    expect(dryRun?.headers.get("idempotency-key")).toBeTruthy();
  });

  it("says so when nothing failed", async () => {
    fakeApi(() => ok(200, []));
    renderPage(<FailuresPage />);
    expect(await screen.findByRole("heading", { name: "No failed jobs" })).toBeInTheDocument();
  });
});

describe("the Retention page", () => {
  it("shows the setting, empty fields as forever, and saves all three", async () => {
    const requests = fakeApi((request) =>
      request.method === "PUT"
        ? ok(200, JSON.parse(request.body ?? "{}"))
        : ok(200, { completed: 7, failed: null, cancelled: 0 }),
    );
    renderPage(<RetentionPage />);
    const completed = await screen.findByLabelText("Days to keep completed jobs");
    expect(completed).toHaveValue("7");
    expect(screen.getByLabelText("Days to keep failed jobs")).toHaveValue("");
    expect(screen.getByLabelText("Days to keep cancelled jobs")).toHaveValue("0");

    await userEvent.clear(completed);
    await userEvent.type(completed, "30");
    await userEvent.type(screen.getByLabelText("Days to keep failed jobs"), "90");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Retention saved")).toBeInTheDocument();
    const put = requests.find((request) => request.method === "PUT");
    expect(put?.path).toBe("/v1/retention");
    expect(JSON.parse(put?.body ?? "{}")).toEqual({ completed: 30, failed: 90, cancelled: 0 });
  });

  it("refuses what the API would refuse before sending it", async () => {
    const requests = fakeApi(() => ok(200, { completed: null, failed: null, cancelled: null }));
    renderPage(<RetentionPage />);
    const field = await screen.findByLabelText("Days to keep completed jobs");
    await userEvent.type(field, "3651");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    expect(requests.filter((request) => request.method === "PUT")).toHaveLength(0);
    expect([parseDays(""), parseDays("0"), parseDays(" 12 "), parseDays("1.5"), parseDays("-1")]).toEqual([
      null,
      0,
      12,
      undefined,
      undefined,
    ]);
  });
});
