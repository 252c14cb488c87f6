/**
 * The live features against the "live" server, whose workers run every job as soon as it is
 * created: the event stream (GET /v1/events), counts (GET /v1/jobs/stats), cancel and retry, and
 * results that only a real run produces. Each test signs in as its own user, so each list holds
 * that test's jobs only. The server runs two jobs at a time: two 3 s sleeps keep a third job
 * pending long enough to be seen pending.
 */
import type { Page, Request } from "@playwright/test";
import { closedLocalUrl } from "../support/api";
import {
  expect,
  jobRows,
  jobsTable,
  liveTest as test,
  liveUser,
  openSignedIn,
  state,
} from "../support/fixtures";
import { QUARTERS_PNG } from "../support/png";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RUN = { timeout: 15_000 };

/** Marks the document; the mark is lost only if the page is loaded again. */
const markDocument = (page: Page) => page.evaluate(() => Object.assign(window, { notReloaded: true }));
const isSameDocument = (page: Page) => page.evaluate(() => "notReloaded" in window);

/** GET requests to `path` from now on. */
function readsOf(page: Page, path: string): Request[] {
  const requests: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === path) requests.push(request);
  });
  return requests;
}

const overview = (page: Page) => page.getByRole("region", { name: "Overview" });
const liveIndicator = (page: Page) =>
  page.getByRole("banner").getByText(/^(Live|Reconnecting…|Connecting…)$/);

test("new jobs are announced above the list, then their rows follow them as they run", async ({ page }) => {
  const { token, api } = liveUser("watcher");
  await openSignedIn(page, token);
  await expect(page.getByRole("heading", { name: "No jobs yet" })).toBeVisible();
  await expect(liveIndicator(page)).toHaveText("Live");
  await markDocument(page);

  // Both workers busy for 8 s: the third job stays pending while the page shows it so.
  await Promise.all([api.create("sleep", { ms: 8000 }), api.create("sleep", { ms: 8000 })]);
  const job = await api.create("sleep", { ms: 1500 });
  const banner = page.getByRole("status").filter({ hasText: "3 new jobs in this view" });
  await expect(banner).toBeVisible();
  // Announced, not inserted: nothing moved under the reader.
  await expect(page.getByRole("heading", { name: "No jobs yet" })).toBeVisible();

  const lists = readsOf(page, "/v1/jobs");
  await banner.getByRole("button", { name: "Show" }).click();
  await expect(jobRows(page)).toHaveCount(3);
  const row = jobsTable(page).getByRole("row", { name: new RegExp(job.id) });
  await expect(row.getByText("pending", { exact: true })).toBeVisible();
  await expect(row.getByText("running", { exact: true })).toBeVisible(RUN);
  await expect(row.getByText("completed", { exact: true })).toBeVisible(RUN);
  await expect(jobRows(page).getByText("completed", { exact: true })).toHaveCount(3, RUN);
  // The rows changed through events: the list was read once (by "Show"), the page never reloaded.
  expect(lists).toHaveLength(1);
  expect(await isSameDocument(page)).toBe(true);

  // The counts beside the status filter follow too, and agree with the API.
  const stats = await api.stats();
  expect(stats.byStatus).toEqual({ pending: 0, running: 0, completed: 3, failed: 0, cancelled: 0 });
  await expect(page.getByRole("checkbox", { name: "completed" })).toHaveAccessibleDescription("3 jobs");
  await expect(page.getByRole("checkbox", { name: "running" })).toHaveAccessibleDescription("0 jobs");
});

test("the open job's page follows it from pending to running to completed", async ({ page }) => {
  const { token, api } = liveUser("follower");
  // Both workers busy for 8 s: the third job stays pending while the page shows it so.
  await Promise.all([api.create("sleep", { ms: 8000 }), api.create("sleep", { ms: 8000 })]);
  const job = await api.create("sleep", { ms: 1500 });
  const reads = readsOf(page, `/v1/jobs/${job.id}`);
  await openSignedIn(page, token, `/jobs/${job.id}`);
  await expect(overview(page).getByText("pending")).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("waiting for a worker");
  await expect(liveIndicator(page)).toHaveText("Live");
  await markDocument(page);

  await expect(overview(page).getByText("running")).toBeVisible(RUN);
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("running…");
  await expect(overview(page).getByText("completed")).toBeVisible(RUN);
  await expect(page.getByRole("region", { name: "Result" })).toContainText("sleptMs: 1500");
  expect(await isSameDocument(page)).toBe(true);
  // Events, not polling: the job was read once, when the page opened.
  expect(reads).toHaveLength(1);
});

test("a running sleep is cancelled from its page, then retried as a new job", async ({ page }) => {
  const { token, api } = liveUser("canceller");
  const job = await api.create("sleep", { ms: 60_000 });
  await api.waitForStatus(job.id, "running");
  await openSignedIn(page, token, `/jobs/${job.id}`);
  await expect(overview(page).getByText("running")).toBeVisible();

  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(overview(page).getByText("cancelled")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Job cancelled" })).toBeVisible();
  expect(await api.get(job.id)).toMatchObject({ status: "cancelled", result: null });

  const retry = page.waitForRequest(
    (request) => request.method() === "POST" && request.url().endsWith(`/v1/jobs/${job.id}/retry`),
  );
  await page.getByRole("button", { name: "Retry as new job" }).click();
  expect((await retry).headers()["idempotency-key"]).toMatch(UUID);
  await expect(page).not.toHaveURL(new RegExp(job.id));
  const newId = new URL(page.url()).pathname.replace("/jobs/", "");
  expect(newId).toMatch(UUID);
  await expect(page.getByRole("heading", { name: "sleep", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Payload" })).toContainText("ms: 60000");
  // The new job really runs; cancelling it frees the worker for the next test.
  await expect(overview(page).getByText("running")).toBeVisible(RUN);
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(overview(page).getByText("cancelled")).toBeVisible();
  expect((await api.get(newId)).status).toBe("cancelled");
});

test("an http.request to a closed port fails after its attempts, shows why, and retries as a new job", async ({
  page,
}) => {
  const { token, api } = liveUser("failer");
  const url = `${await closedLocalUrl()}/status`;
  const job = await api.create("http.request", { url, timeoutMs: 2000 });
  const failed = await api.waitForStatus(job.id, "failed");
  await openSignedIn(page, token, `/jobs/${job.id}`);
  await expect(overview(page).getByText("failed")).toBeVisible();
  await expect(overview(page)).toContainText(`${failed.attempts} of ${failed.maxAttempts}`);
  const error = page.getByRole("region", { name: "Error" }).getByRole("alert");
  await expect(error).toContainText(failed.error!.code);
  await expect(error).toContainText(failed.error!.message);

  await page.getByRole("button", { name: "Retry as new job" }).click();
  await expect(page).not.toHaveURL(new RegExp(job.id));
  await expect(page.getByRole("heading", { name: "http.request", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Payload" })).toContainText(url);
  await expect(overview(page).getByText("failed")).toBeVisible(RUN);
});

test("an image.thumbnail result is shown as the image", async ({ page }) => {
  const { token, api } = liveUser("viewer");
  const job = await api.create("image.thumbnail", { source: QUARTERS_PNG, width: 32, format: "png" });
  const done = await api.waitForStatus(job.id, "completed");
  const result = done.result as { width: number; height: number; bytes: number };
  expect(result).toMatchObject({ width: 32, height: 24, format: "png" });

  await openSignedIn(page, token, `/jobs/${job.id}`);
  const image = page.getByRole("img", {
    name: `Image result of job ${job.id} (32×24 · png · ${result.bytes.toLocaleString("en-US")} bytes)`,
  });
  await expect(image).toBeVisible();
  // Decoded from the artifact's bytes, at the thumbnail's size.
  expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([
    32, 24,
  ]);
});

test("a markdown.render job created in the form runs, and its HTML shows in a sandboxed frame", async ({
  page,
}) => {
  const { token } = liveUser("writer");
  await openSignedIn(page, token, "/jobs/new?type=markdown.render");
  // The form and its editor load lazily, and then show the type's starter payload: typing before
  // that can land beside the starter text instead of replacing it.
  await expect(page.getByLabel("Payload (JSON)")).toHaveText(/Release notes/);
  await page
    .getByLabel("Payload (JSON)")
    .fill(JSON.stringify({ markdown: "# Release notes\n\n- *faster* lists\n\n<script>alert(1)</script>" }));
  const post = page.waitForRequest(
    (request) => request.method() === "POST" && new URL(request.url()).pathname === "/v1/jobs",
  );
  await page.getByRole("button", { name: "Create job" }).click();
  expect((await post).headers()["idempotency-key"]).toMatch(UUID);

  await expect(page).toHaveURL(`${state.live.baseUrl}/`);
  const row = jobRows(page).first();
  await expect(row.getByText("completed", { exact: true })).toBeVisible(RUN);
  await row.getByRole("link", { name: /^Job / }).click();
  const frame = page.locator("iframe[title^='HTML result of job']");
  await expect(frame).toHaveAttribute("sandbox", "");
  const content = page.frameLocator("iframe[title^='HTML result of job']");
  await expect(content.getByRole("heading", { name: "Release notes" })).toBeVisible();
  await expect(content.getByRole("listitem")).toHaveText("faster lists");
  // The renderer's sanitizer took the script out.
  expect(await frame.getAttribute("srcdoc")).not.toContain("<script");
});

test("losing the network shows Reconnecting…; back online, what happened meanwhile arrives", async ({
  page,
  context,
}) => {
  const { token, api } = liveUser("traveller");
  await openSignedIn(page, token);
  await expect(liveIndicator(page)).toHaveText("Live");
  const before = await api.create("echo", { before: true });
  await expect(page.getByRole("status").filter({ hasText: "1 new job in this view" })).toBeVisible();

  await context.setOffline(true);
  await expect(liveIndicator(page)).toHaveText("Reconnecting…");
  // Created and run while this browser is offline: the stream resumes from the last event it saw
  // (Last-Event-ID), and the server replays the rest.
  const during = await api.create("echo", { during: true });
  await api.waitForStatus(during.id, "completed");
  await context.setOffline(false);
  await expect(liveIndicator(page)).toHaveText("Live");
  const banner = page.getByRole("status").filter({ hasText: "2 new jobs in this view" });
  await expect(banner).toBeVisible();
  await banner.getByRole("button", { name: "Show" }).click();
  for (const job of [during, before]) {
    const row = jobsTable(page).getByRole("row", { name: new RegExp(job.id) });
    await expect(row.getByText("completed", { exact: true })).toBeVisible();
  }
});
