/**
 * §15 in the dashboard, on real servers: a payload-path filter chip narrows the list (and the bulk
 * operation that "Select all matching" starts), and Export saves the current view as a file.
 */
import { readFile } from "node:fs/promises";
import type { Job } from "@jobdeck/contract";
import {
  expect,
  jobRows,
  liveTest,
  liveUser,
  openSignedIn,
  renderedRows,
  state,
  test,
} from "../support/fixtures";

const RUN = { timeout: 20_000 };

liveTest(
  "finds jobs by a payload path, then selects all that match, cancels them and watches the progress",
  async ({ page }) => {
    const { token, api } = liveUser("searcher");
    // Sleeps long enough to stay pending or running until cancelled; only their payloads differ.
    const wanted: Job[] = [];
    for (let i = 0; i < 4; i++) wanted.push(await api.create("sleep", { ms: 120_000 }));
    const others: Job[] = [];
    for (let i = 0; i < 3; i++) others.push(await api.create("sleep", { ms: 90_000 }));

    await openSignedIn(page, token, "/?type=sleep");
    await expect(jobRows(page)).toHaveCount(7);

    await page.getByRole("button", { name: "Add filter" }).click();
    const form = page.getByRole("form", { name: "Add a filter" });
    const path = form.getByRole("combobox", { name: "Payload path" });
    // The sleep type's published payload schema suggests its one field.
    const listId = await path.getAttribute("list");
    await expect(page.locator(`datalist[id="${listId}"] option`)).toHaveAttribute("value", "ms");
    await path.fill("ms");
    await form.getByRole("combobox", { name: "Value" }).fill("120000");
    await form.getByRole("button", { name: "Add" }).click();

    await expect(page.getByRole("list", { name: "Tag and field filters" })).toHaveText(
      /payload\.ms = 120000/,
    );
    await expect(page).toHaveURL(/[?&]payload\.ms=120000/);
    await expect(jobRows(page)).toHaveCount(4);
    expect((await renderedRows(page)).map((row) => row.id).sort()).toEqual(
      wanted.map((job) => job.id).sort(),
    );

    // The chip is part of the address: a reload shows the same view.
    await page.reload();
    await expect(jobRows(page)).toHaveCount(4);

    const bulk = page.getByRole("group", { name: "Bulk actions" });
    await bulk.getByRole("button", { name: "Select all matching" }).click();
    await expect(bulk.getByRole("status")).toHaveText("All 4 matching jobs selected");
    await bulk.getByRole("combobox", { name: "Action" }).selectOption("cancel");
    await bulk.getByRole("button", { name: "Cancel 4 jobs…" }).click();
    await page
      .getByRole("form", { name: "Confirm bulk operation" })
      .getByRole("button", { name: "Yes, cancel them" })
      .click();

    const progress = page.getByRole("group", { name: "Bulk operation progress" });
    await expect(progress.getByRole("progressbar")).toBeVisible();
    await expect(progress.getByRole("status")).toContainText("Completed · 4 of 4 processed", RUN);
    await expect(progress.getByRole("status")).toContainText("4 done · 0 skipped");

    // Only the jobs whose payload matched were cancelled.
    const statuses = async (jobs: Job[]) =>
      Promise.all(jobs.map(async (job) => (await api.get(job.id)).status));
    await expect(async () =>
      expect(await statuses(wanted)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]),
    ).toPass(RUN);
    for (const status of await statuses(others)) expect(status).not.toBe("cancelled");
    // Leave the live server's workers free for the next tests.
    for (const job of others) await api.cancel(job.id);
  },
);

const demoToken = () => new URLSearchParams(new URL(state.signInUrl).hash.slice(1)).get("token") ?? "";

test("Export saves every job of the view as NDJSON whose lines parse, and CSV with the view's payload filter", async ({
  page,
}) => {
  const echoes = state.seeded.filter((job) => job.type === "echo");
  await openSignedIn(page, demoToken(), "/?type=echo");
  await expect(jobRows(page).first()).toBeVisible();

  const exportGroup = page.getByRole("group", { name: "Export" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    exportGroup.getByRole("button", { name: "Export" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^jobdeck-jobs-\d{4}-\d\d-\d\d\.ndjson$/);
  const text = await readFile((await download.path()) ?? "", "utf8");
  const lines = text.split("\n").filter((line) => line.length > 0);
  const jobs = lines.map((line) => JSON.parse(line) as Job);
  expect(jobs.map((job) => job.id).sort()).toEqual(echoes.map((job) => job.id).sort());
  for (const job of jobs) expect(job.type).toBe("echo");
  await expect(exportGroup.getByRole("status")).toHaveText(
    new RegExp(`^Saved jobdeck-jobs-.*\\.ndjson \\(${echoes.length} jobs · `),
  );

  // The same view narrowed by a payload path, as CSV: a header and the one job whose payload.n is 5.
  const fifth = echoes.find((job) => job.payload.n === 5);
  expect(fifth).toBeDefined();
  await openSignedIn(page, demoToken(), "/?type=echo&payload.n=5");
  await expect(jobRows(page)).toHaveCount(1);
  await exportGroup.getByRole("combobox", { name: "Export format" }).selectOption("csv");
  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    exportGroup.getByRole("button", { name: "Export" }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
  const csv = (await readFile((await csvDownload.path()) ?? "", "utf8")).split("\r\n").filter(Boolean);
  expect(csv).toHaveLength(2);
  expect(csv[0]?.split(",").slice(0, 3)).toEqual(["id", "type", "status"]);
  expect(csv[1]?.startsWith(`${fifth?.id},echo,`)).toBe(true);
});

liveTest("ticks rows and cancels exactly those, by id", async ({ page }) => {
  const { token, api } = liveUser("searcher");
  const jobs: Job[] = [];
  for (let i = 0; i < 3; i++) jobs.push(await api.create("sleep", { ms: 120_000 }, { queue: "ticked" }));
  const [first, second, third] = jobs as [Job, Job, Job];

  await openSignedIn(page, token, "/?queue=ticked");
  await expect(jobRows(page)).toHaveCount(3);
  await page.getByRole("checkbox", { name: `Select job ${first.id}` }).check();
  await page.getByRole("checkbox", { name: `Select job ${third.id}` }).check();
  // Ticking a row does not open its job.
  await expect(page).toHaveURL(/\/\?queue=ticked$/);

  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await expect(bulk.getByRole("status")).toHaveText("2 jobs ticked");
  await bulk.getByRole("combobox", { name: "Action" }).selectOption("cancel");
  await bulk.getByRole("button", { name: "Cancel 2 jobs…" }).click();
  await page
    .getByRole("form", { name: "Confirm bulk operation" })
    .getByRole("button", { name: "Yes, cancel them" })
    .click();
  const progress = page.getByRole("group", { name: "Bulk operation progress" });
  await expect(progress.getByRole("status")).toContainText("Completed · 2 of 2 processed", RUN);

  await expect(async () => {
    expect((await api.get(first.id)).status).toBe("cancelled");
    expect((await api.get(third.id)).status).toBe("cancelled");
  }).toPass(RUN);
  expect((await api.get(second.id)).status).not.toBe("cancelled");
  await api.cancel(second.id);
});
