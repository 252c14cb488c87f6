import type { Request } from "@playwright/test";
import { JOB_STATUSES } from "@jobdeck/contract";
import { apiAs } from "../support/api";
import {
  allRows,
  expect,
  jobRows,
  jobsTable,
  renderedRows,
  scrollToEnd,
  state,
  test,
} from "../support/fixtures";

const listRequests = (requests: Request[]) =>
  requests.filter((request) => request.method() === "GET" && new URL(request.url()).pathname === "/v1/jobs");

const SEEDED_JOBS = state.seeded.length;

test(`all ${SEEDED_JOBS} jobs load page by page as the list scrolls, each once, in a small DOM`, async ({
  page,
}) => {
  const requests: Request[] = [];
  const served: string[] = [];
  // Listening before the first navigation: every list request of this page load is counted.
  page.on("request", (request) => requests.push(request));
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname !== "/v1/jobs") return;
    const body = (await response.json()) as { data: { id: string }[] };
    served.push(...body.data.map((job) => job.id));
  });
  await page.goto(state.signInUrl);

  const screens = await scrollToEnd(page);
  await expect(page.getByText(`End of list · ${SEEDED_JOBS} jobs`)).toBeVisible();

  const pages = listRequests(requests);
  expect(pages.length).toBeGreaterThanOrEqual(3);
  expect(new URL(pages[0]!.url()).searchParams.has("cursor")).toBe(false);
  for (const request of pages.slice(1))
    expect(new URL(request.url()).searchParams.get("cursor")).toBeTruthy();
  // Each page's body is read by the handler above after its response event: the last may still be on its way.
  await expect.poll(() => served.length).toBe(SEEDED_JOBS);
  expect(new Set(served).size).toBe(served.length);

  for (const screen of screens) expect(new Set(screen.map((row) => row.id)).size).toBe(screen.length);
  const seen = [...new Set(screens.flat().map((row) => row.id))];
  expect(seen).toEqual(state.seeded.map((job) => job.id));
  // Virtualized: a few dozen rows in the document, not hundreds.
  expect(await jobRows(page).count()).toBeLessThan(80);
});

test.describe("with the list loaded", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto(state.signInUrl);
    await expect(jobRows(page).first()).toBeVisible();
  });

  test("filtering by status shows only jobs with that status, and the URL keeps it", async ({ page }) => {
    const failed = state.seeded.filter((job) => job.status === "failed");
    await page.getByRole("checkbox", { name: "failed" }).check();
    await expect(page).toHaveURL(/\?status=failed$/);
    await expect(page.getByText(`End of list · ${failed.length} jobs`)).toBeVisible();
    const rows = await allRows(page);
    expect(rows.map((row) => row.status)).toEqual(failed.map(() => "failed"));
    expect(rows.map((row) => row.id)).toEqual(failed.map((job) => job.id));

    await page.getByRole("checkbox", { name: "cancelled" }).check();
    await expect(page).toHaveURL(/\?status=failed,cancelled$/);
    const statuses = new Set((await allRows(page)).map((row) => row.status));
    expect(statuses).toEqual(new Set(["failed", "cancelled"]));

    await page.goBack();
    await expect(page.getByRole("checkbox", { name: "cancelled" })).not.toBeChecked();
    await expect(page.getByRole("checkbox", { name: "failed" })).toBeChecked();
  });

  test("counts beside the status filter are the API's stats, for the other filters", async ({ page }) => {
    const demoToken = new URLSearchParams(new URL(state.signInUrl).hash.slice(1)).get("token") ?? "";
    const api = apiAs(state.baseUrl, demoToken);
    const describes = async (query: string) => {
      const { total, byStatus } = await api.stats(query);
      for (const status of JOB_STATUSES) {
        const count = byStatus[status];
        await expect(page.getByRole("checkbox", { name: status })).toHaveAccessibleDescription(
          count === 1 ? "1 job" : `${count} jobs`,
        );
      }
      return total;
    };
    const total = await describes("");
    expect(total).toBe(SEEDED_JOBS);
    await expect(page.getByText(`of ${SEEDED_JOBS} jobs loaded`)).toBeVisible();

    // A status filter leaves the counts alone: each says how many choosing that status would list.
    await page.getByRole("checkbox", { name: "failed" }).check();
    await describes("");
    const failed = state.seeded.filter((j) => j.status === "failed").length;
    await expect(page.getByText(`${failed} of ${failed} jobs loaded`)).toBeVisible();
    await page.getByRole("button", { name: "Type: all" }).click();
    await page.getByRole("checkbox", { name: "image.thumbnail" }).check();
    await page.keyboard.press("Escape");
    await describes("type=image.thumbnail");
    const failedThumbnails = state.seeded.filter(
      (j) => j.type === "image.thumbnail" && j.status === "failed",
    );
    await expect(page.getByText(`End of list · ${failedThumbnails.length} jobs`)).toBeVisible();
  });

  test("filtering by type shows only that type; clearing and the back button undo it", async ({ page }) => {
    await page.getByRole("button", { name: "Type: all" }).click();
    await page.getByRole("checkbox", { name: "markdown.render" }).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/\?type=markdown\.render$/);
    await expect(page.getByRole("button", { name: "Type: markdown.render" })).toBeVisible();
    const expected = state.seeded.filter((job) => job.type === "markdown.render");
    const rows = await allRows(page);
    await expect(page.getByText(`End of list · ${expected.length} jobs`)).toBeVisible();
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((row) => row.type))).toEqual(new Set(["markdown.render"]));

    await page.getByRole("button", { name: "Clear all filters" }).click();
    await expect(page).toHaveURL(`${state.baseUrl}/`);
    await page.goBack();
    await expect(page.getByRole("button", { name: "Type: markdown.render" })).toBeVisible();
  });

  test("no match shows an empty state that clears the filters", async ({ page }) => {
    await page.goto("/?type=no.such.type");
    await expect(page.getByRole("heading", { name: "No jobs match these filters" })).toBeVisible();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(jobRows(page).first()).toBeVisible();
    await expect(page).toHaveURL(`${state.baseUrl}/`);
  });

  test("sorting by type works both ways through the API", async ({ page }) => {
    const header = jobsTable(page).getByRole("columnheader", { name: "Type" });
    await expect(header).toHaveAttribute("aria-sort", "none");
    await header.getByRole("button").click();
    await expect(header).toHaveAttribute("aria-sort", "ascending");
    await expect(page).toHaveURL(/\?sort=type&order=asc$/);
    await expect(jobRows(page).first()).toContainText("echo");
    let types = (await renderedRows(page)).map((row) => row.type);
    expect(types).toEqual([...types].sort());

    await header.getByRole("button").click();
    await expect(header).toHaveAttribute("aria-sort", "descending");
    await expect(jobRows(page).first()).toContainText("sleep");
    types = (await renderedRows(page)).map((row) => row.type);
    expect(types).toEqual([...types].sort().reverse());
    await expect(jobsTable(page).getByRole("columnheader", { name: "Created" })).toHaveAttribute(
      "aria-sort",
      "none",
    );
  });

  test("a job opens from its row and shows its payload; Escape comes back to the same place", async ({
    page,
  }) => {
    const job = state.seeded.find((candidate) => candidate.type === "echo")!;
    await page.getByRole("link", { name: `Job ${job.id}` }).click();
    await expect(page).toHaveURL(`${state.baseUrl}/jobs/${job.id}`);
    await expect(page.getByRole("heading", { name: "echo", level: 1 })).toBeVisible();
    const payload = page.getByRole("region", { name: "Payload" });
    await expect(payload).toContainText(`message: "${String(job.payload.message)}"`);
    await expect(payload).toContainText(`n: ${String(job.payload.n)}`);

    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(`${state.baseUrl}/`);
    await expect(jobsTable(page).getByRole("row", { name: new RegExp(job.id) })).toBeFocused();
  });

  test("“Edit & run again” opens the form with the job's type and payload", async ({ page }) => {
    const job = state.seeded.find((candidate) => candidate.type === "http.request")!;
    await page.goto(`/jobs/${job.id}`);
    await page.getByRole("link", { name: "Edit & run again" }).click();
    await expect(page.getByLabel("Type")).toHaveValue("http.request");
    await expect(page.getByLabel("Payload (JSON)")).toHaveText(new RegExp(String(job.payload.url)));
  });

  test("the keyboard alone moves through rows and opens one", async ({ page }) => {
    await page.keyboard.press("j");
    const first = state.seeded[0]!;
    const second = state.seeded[1]!;
    await expect(jobsTable(page).getByRole("row", { name: new RegExp(first.id) })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(jobsTable(page).getByRole("row", { name: new RegExp(second.id) })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${state.baseUrl}/jobs/${second.id}`);
  });

  test("pasting a job id jumps to it; a completed job shows its result", async ({ page }) => {
    const job = state.seeded.find(
      (candidate) => candidate.type === "markdown.render" && candidate.status === "completed",
    )!;
    await page.keyboard.press("/");
    await expect(page.getByRole("searchbox", { name: "Jump to job id" })).toBeFocused();
    await page.keyboard.insertText(`see ${state.baseUrl}/jobs/${job.id}`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${state.baseUrl}/jobs/${job.id}`);
    const frame = page.frameLocator(`iframe[title="HTML result of job ${job.id}"]`);
    await expect(frame.getByRole("heading", { name: `Report ${job.n}` })).toBeVisible();
  });
});
