/**
 * The Failures view (failed jobs grouped by type and error code, "Retry this group" as one bulk
 * retry) and the Retention setting, on the "live" server, whose workers run the jobs.
 */
import { closedLocalUrl } from "../support/api";
import { expect, liveTest as test, liveUser, openSignedIn } from "../support/fixtures";

const RUN = { timeout: 30_000 };

test("groups failed jobs by type and code, and retries a group as new jobs that name their originals", async ({
  page,
}) => {
  const { token, api } = liveUser("housekeeper");
  const url = `${await closedLocalUrl()}/status`;
  const jobs = [
    await api.create("http.request", { url, timeoutMs: 2000 }),
    await api.create("http.request", { url, timeoutMs: 2000 }),
  ];
  const failed = await Promise.all(jobs.map((job) => api.waitForStatus(job.id, "failed")));
  const code = failed[0]!.error!.code;
  expect(failed[1]!.error!.code).toBe(code);

  await openSignedIn(page, token);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Failures" }).click();
  await expect(page.getByRole("heading", { name: "Failures", level: 1 })).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(`http\\.request ${code}`) });
  await expect(row.getByRole("link", { name: "2" })).toBeVisible();

  await row.getByRole("button", { name: "Retry this group…" }).click();
  await expect(row.getByRole("status")).toHaveText("All 2 matching jobs selected");
  await row.getByRole("button", { name: "Retry 2 jobs…" }).click();
  await row.getByRole("button", { name: "Yes, retry them" }).click();
  await expect(row.getByRole("group", { name: "Bulk operation progress" }).getByRole("status")).toContainText(
    "Completed · 2 of 2 processed",
    RUN,
  );
  const retries = (await api.list("type=http.request")).filter((job) => job.retryOf !== null);
  expect(retries.map((job) => job.retryOf).sort()).toEqual(jobs.map((job) => job.id).sort());
});

test("keeps the retention setting, empty fields as forever", async ({ page }) => {
  const { token } = liveUser("housekeeper");
  await openSignedIn(page, token, "/retention");
  const completed = page.getByLabel("Days to keep completed jobs");
  await completed.fill("30");
  await page.getByLabel("Days to keep failed jobs").fill("");
  await page.getByLabel("Days to keep cancelled jobs").fill("0");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Retention saved")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Days to keep completed jobs")).toHaveValue("30");
  await expect(page.getByLabel("Days to keep failed jobs")).toHaveValue("");
  await expect(page.getByLabel("Days to keep cancelled jobs")).toHaveValue("0");
});
