/**
 * A queue paused from the Queues page holds its jobs, which say why they wait, and they run once
 * it is resumed — against the "live" server, whose workers run every job that may start.
 */
import type { Page } from "@playwright/test";
import { expect, jobRows, jobsTable, liveTest as test, liveUser, openSignedIn } from "../support/fixtures";

const RUN = { timeout: 15_000 };
const QUEUE = "mail";

const queueRow = (page: Page) =>
  page.getByRole("table", { name: "Queues" }).getByRole("row", { name: /^mail / });
const pauseSwitch = (page: Page) => page.getByRole("switch", { name: `Pause ${QUEUE}` });

test("a queue paused from its page holds its jobs, which say so, and they run once it is resumed", async ({
  page,
}) => {
  const { token, api } = liveUser("pauser");
  // A queue exists once a job was created in it.
  const first = await api.create("echo", { n: 0 }, { queue: QUEUE });
  await api.waitForStatus(first.id, "completed");

  await openSignedIn(page, token);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Queues" }).click();
  await expect(page.getByRole("heading", { name: "Queues", level: 1 })).toBeVisible();
  await expect(pauseSwitch(page)).toHaveAttribute("aria-checked", "false");

  await pauseSwitch(page).click();
  await expect(pauseSwitch(page)).toHaveAttribute("aria-checked", "true");
  await expect(queueRow(page)).toContainText("Paused");
  expect((await api.queue(QUEUE)).isPaused).toBe(true);

  // Created once the pause has answered: none of them may start.
  const jobs = await Promise.all([1, 2, 3].map((n) => api.create("echo", { n }, { queue: QUEUE })));
  for (const job of jobs)
    expect(job).toMatchObject({ status: "pending", queue: QUEUE, waitReason: "paused" });
  await expect(queueRow(page).getByRole("cell").nth(1)).toHaveText("3", RUN);

  // From the queue to its jobs, filtered to those waiting for the pause.
  await queueRow(page).getByRole("link", { name: QUEUE }).click();
  await expect(jobRows(page)).toHaveCount(4);
  await page.getByRole("button", { name: /^Waiting:/ }).click();
  await page.getByRole("checkbox", { name: "queue paused" }).check();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/[?&]wait=paused/);
  await expect(jobRows(page)).toHaveCount(3);
  await expect(jobRows(page).getByText("pending", { exact: true })).toHaveCount(3);

  const waiting = jobs[0]!;
  await jobsTable(page)
    .getByRole("link", { name: `Job ${waiting.id}` })
    .click();
  const why = page.getByRole("region", { name: "Why it waits" });
  await expect(why).toContainText("queue paused");
  await expect(why).toContainText(`May start once queue ${QUEUE} is resumed.`);
  // Still waiting a moment later: the pause holds.
  await page.waitForTimeout(1000);
  expect((await api.get(waiting.id)).status).toBe("pending");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Queues" }).click();
  await pauseSwitch(page).click();
  await expect(pauseSwitch(page)).toHaveAttribute("aria-checked", "false");
  for (const job of jobs) await api.waitForStatus(job.id, "completed");
  await expect(queueRow(page).getByRole("cell").nth(1)).toHaveText("0", RUN);
  // The starts seen on the live updates since the page opened.
  await expect(queueRow(page).getByRole("cell").nth(3)).toHaveText(/^3/, RUN);

  // The job page followed its job from waiting to done.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/jobs/${waiting.id}$`));
  await expect(page.getByRole("region", { name: "Overview" }).getByText("completed")).toBeVisible(RUN);
  await expect(page.getByRole("region", { name: "Why it waits" })).toHaveCount(0);
});
