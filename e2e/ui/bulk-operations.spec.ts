/**
 * §15's bulk operations from the dashboard, on the "live" server (its workers run the jobs): the
 * list filtered by type, "Select all matching" (a dry run's count), cancel them, watch the progress,
 * and find the operation on the Bulk operations page.
 */
import { expect, liveTest as test, liveUser, openSignedIn } from "../support/fixtures";

const RUN = { timeout: 20_000 };
const JOBS = 6;

test("selects every job a filter matches, cancels them all, and shows the operation's progress and history", async ({
  page,
}) => {
  const { token, api } = liveUser("bulk");
  // Long sleeps: some run, the rest wait; an echo job that the filter leaves out.
  for (let i = 0; i < JOBS; i++) await api.create("sleep", { ms: 120_000 });
  const other = await api.create("echo", { kept: true });

  await openSignedIn(page, token, "/?type=sleep");
  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await bulk.getByRole("button", { name: "Select all matching" }).click();
  await expect(bulk.getByRole("status")).toHaveText(`All ${JOBS} matching jobs selected`);
  await bulk.getByRole("combobox", { name: "Action" }).selectOption("cancel");
  await bulk.getByRole("button", { name: `Cancel ${JOBS} jobs…` }).click();
  const confirm = page.getByRole("form", { name: "Confirm bulk operation" });
  await expect(confirm).toContainText(`Cancel ${JOBS} jobs?`);
  await confirm.getByRole("button", { name: "Yes, cancel them" }).click();

  const progress = page.getByRole("group", { name: "Bulk operation progress" });
  await expect(progress.getByRole("progressbar")).toBeVisible();
  await expect(progress.getByRole("status")).toContainText(`Completed · ${JOBS} of ${JOBS} processed`, RUN);
  await expect(progress.getByRole("status")).toContainText(`${JOBS} done · 0 skipped`);

  // Every sleep job ends cancelled (the running ones through their AbortSignal); the echo job is untouched.
  await expect(async () => {
    const sleeps = await api.list("type=sleep");
    expect(sleeps).toHaveLength(JOBS);
    for (const job of sleeps) expect(job.status).toBe("cancelled");
  }).toPass(RUN);
  expect((await api.get(other.id)).type).toBe("echo");

  await progress.getByRole("link", { name: "All bulk operations" }).click();
  await expect(page.getByRole("heading", { name: "Bulk operations", level: 1 })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: `Cancel ${JOBS} jobs` });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("status")).toContainText(`Completed · ${JOBS} of ${JOBS} processed`);
});
