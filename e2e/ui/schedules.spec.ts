/**
 * A schedule created from its page fires on the "live" server, whose workers fire schedules and
 * run jobs: its jobs appear in the schedule's recent jobs, and in the jobs list filtered by it.
 */
import type { Page } from "@playwright/test";
import { expect, jobRows, liveTest as test, liveUser, openSignedIn } from "../support/fixtures";

const RUN = { timeout: 15_000 };
const NAME = "every-second";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const recentJobs = (page: Page) => page.getByRole("region", { name: "Recent jobs" });
const recentRows = (page: Page) =>
  recentJobs(page)
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: /^Job / }) });

test("a schedule created from its page makes jobs, which appear in its recent jobs and the list filtered by it", async ({
  page,
}) => {
  const { token, api } = liveUser("scheduler");
  try {
    await openSignedIn(page, token);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Schedules" }).click();
    await expect(page.getByRole("heading", { name: "No schedules yet" })).toBeVisible();
    await page.getByRole("link", { name: "New schedule" }).first().click();

    const form = page.getByRole("form", { name: "New schedule" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill(NAME);
    await form.getByRole("textbox", { name: "Cron expression" }).fill("* * * * * *");
    await form.getByRole("combobox", { name: "Time zone" }).fill("Europe/Berlin");
    await form.getByRole("combobox", { name: "Type", exact: true }).selectOption("echo");
    const explanation = form.getByRole("region", { name: "What the cron expression means" });
    await expect(explanation).toContainText("Every second");
    await expect(explanation.getByRole("table", { name: "Next 5 fire times" }).getByRole("row")).toHaveCount(
      6,
    );
    await form.getByRole("button", { name: "Create schedule" }).click();

    await expect(page).toHaveURL(new RegExp(`/schedules/${UUID}$`));
    await expect(page.getByRole("heading", { name: NAME, level: 1 })).toBeVisible();
    // Jobs appear as the schedule fires, and run.
    await expect(async () => expect(await recentRows(page).count()).toBeGreaterThanOrEqual(3)).toPass(RUN);
    await expect(recentRows(page).getByText("completed", { exact: true }).first()).toBeVisible(RUN);

    const [schedule] = await api.schedules();
    expect(schedule).toMatchObject({
      name: NAME,
      cron: "* * * * * *",
      timezone: "Europe/Berlin",
      type: "echo",
    });
    const made = await api.list(`scheduleId=${schedule!.id}`);
    expect(made.length).toBeGreaterThanOrEqual(3);
    for (const job of made) expect(job).toMatchObject({ scheduleId: schedule!.id, type: "echo" });
    // One job per fire time: whole seconds, each once.
    const fireTimes = made.map((job) => job.runAt);
    expect(new Set(fireTimes).size).toBe(fireTimes.length);
    for (const runAt of fireTimes) expect(runAt).toMatch(/:\d\d\.000Z$/);

    // Paused from its page: no job after the pause answered.
    const pause = page.getByRole("switch", { name: `Pause ${NAME}` });
    await pause.click();
    await expect(pause).toHaveAttribute("aria-checked", "true");
    const pausedAt = new Date().toISOString();
    await page.waitForTimeout(2500);
    const afterPause = (await api.list(`scheduleId=${schedule!.id}`)).filter(
      (job) => job.createdAt > pausedAt,
    );
    expect(afterPause).toEqual([]);

    // "Trigger now" makes a job while paused.
    const before = (await api.list(`scheduleId=${schedule!.id}`)).length;
    await page.getByRole("button", { name: "Trigger now" }).click();
    await expect(page.getByText(`Job made by ${NAME}`)).toBeVisible();
    await expect
      .poll(async () => (await api.list(`scheduleId=${schedule!.id}`)).length, RUN)
      .toBe(before + 1);

    // The list filtered by the schedule holds its jobs, and only them.
    await recentJobs(page).getByRole("link", { name: "All its jobs in the list" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]schedule=${schedule!.id}`));
    await expect(page.getByRole("button", { name: /^Schedule:/ })).toContainText(NAME);
    // The list keeps what it showed and announces newer jobs; Refresh reads it again from the top.
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(jobRows(page)).toHaveCount(before + 1, RUN);
  } finally {
    // The live server is shared: leave nothing firing every second.
    for (const schedule of await api.schedules()) await api.deleteSchedule(schedule.id);
  }
});
