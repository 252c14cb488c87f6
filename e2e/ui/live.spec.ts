/**
 * The live features against the API the "Running jobs" issue plans (spec §9): events, stats,
 * cancel. Until the server has those routes, these tests answer them at the network layer with
 * the planned shapes; everything else is the real server. When the routes land, drop the
 * page.route() calls that stand in for them and drive real changes instead.
 */
import type { Page } from "@playwright/test";
import type { Job } from "@jobdeck/contract";
import { expect, jobRows, jobsTable, state, test } from "../support/fixtures";

const demoToken = new URLSearchParams(new URL(state.signInUrl).hash.slice(1)).get("token") ?? "";

async function fetchJob(page: Page, id: string): Promise<Job> {
  const response = await page.request.get(`/v1/jobs/${id}`, {
    headers: { authorization: `Bearer ${demoToken}` },
  });
  return ((await response.json()) as { data: Job }).data;
}

const later = (job: Job, patch: Partial<Job>): Job => ({
  ...job,
  updatedAt: new Date(Date.parse(job.updatedAt) + 60_000).toISOString(),
  ...patch,
});

test("rows change in place and new jobs are announced above the list", async ({ page }) => {
  const top = await fetchJob(page, state.seeded[0]!.id);
  const status = top.status === "running" ? "completed" : "running";
  const changed = later(top, { status });
  const arrived: Job = {
    ...top,
    id: "01a2ffff-0000-7000-8000-000000000001",
    createdAt: new Date().toISOString(),
  };
  let streams = 0;
  await page.route("**/v1/events", (route) => {
    streams += 1;
    const events =
      streams === 1
        ? `id: 1\nevent: job\ndata: ${JSON.stringify(changed)}\n\nid: 2\nevent: job\ndata: ${JSON.stringify(arrived)}\n\n`
        : "";
    // "retry" holds the reconnection back for the rest of the test.
    return route.fulfill({
      status: 200,
      contentType: "text/event-stream",
      body: `retry: 600000\n\n${events}`,
    });
  });

  await page.goto(state.signInUrl);
  const row = jobsTable(page).getByRole("row", { name: new RegExp(top.id) });
  await expect(row.getByText(status, { exact: true })).toBeVisible();
  await expect(jobRows(page).first()).toHaveAccessibleName(new RegExp(top.id));
  const banner = page.getByRole("status").filter({ hasText: "1 new job in this view" });
  await expect(banner).toBeVisible();

  await banner.getByRole("button", { name: "Show" }).click();
  await expect(banner).toBeHidden();
  // The list is read again from the server, and a version of a job older than the one an event
  // brought does not replace it (here the server never ran the job: only the event says so).
  await expect(row.getByText(status, { exact: true })).toBeVisible();
});

test("counts by status stand beside the status filter", async ({ page }) => {
  await page.route("**/v1/jobs/stats?*", (route) =>
    route.fulfill({
      json: {
        success: true,
        data: {
          total: 260,
          byStatus: { pending: 150, running: 25, completed: 30, failed: 30, cancelled: 25 },
        },
        message: "Stats retrieved",
      },
    }),
  );
  await page.goto(state.signInUrl);
  await expect(page.getByRole("checkbox", { name: "failed" })).toHaveAccessibleDescription("30 jobs");
  await expect(page.getByText(/of 260 jobs loaded/)).toBeVisible();
});

test("cancel works where the server offers it, and says so where it does not", async ({ page }) => {
  const pending = state.seeded.find((job) => job.status === "pending")!;
  await page.goto(`/jobs/${pending.id}#token=${demoToken}`);
  // This server has no cancel route yet: the page says so instead of failing silently.
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByRole("alert")).toHaveText("This server cannot cancel jobs yet.");

  const job = await fetchJob(page, pending.id);
  await page.route(`**/v1/jobs/${pending.id}/cancel`, (route) =>
    route.fulfill({
      json: {
        success: true,
        data: later(job, { status: "cancelled", finishedAt: new Date().toISOString() }),
        message: "Job cancelled",
      },
    }),
  );
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByRole("region", { name: "Overview" }).getByText("cancelled")).toBeVisible();
  await expect(page.getByRole("button", { name: "Retry as new job" })).toBeVisible();
});
