/**
 * `npm run screenshots -w @jobdeck/e2e` writes docs/screenshots/*.png (shown in the README) from
 * the same seeded server the tests use, in the light and the dark theme.
 */
import { fileURLToPath } from "node:url";
import { apiAs } from "../support/api";
import { expect, jobRows, state, test } from "../support/fixtures";

const DIR = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const demoToken = new URLSearchParams(new URL(state.signInUrl).hash.slice(1)).get("token") ?? "";

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(colorScheme, () => {
    test.use({ colorScheme });

    test("list", async ({ page }) => {
      await page.goto(`/#token=${demoToken}`);
      await expect(jobRows(page).first()).toBeVisible();
      // The jobs that ran (the newest are pending): a mix of results, with the counts beside the filter.
      for (const status of ["running", "completed", "failed"]) {
        await page.getByRole("checkbox", { name: status }).check();
      }
      await expect(page).toHaveURL(/\?status=running,completed,failed$/);
      await expect(page.getByRole("checkbox", { name: "failed" })).toHaveAccessibleDescription(/jobs$/);
      await expect(jobRows(page).first()).toBeVisible();
      await page.mouse.move(700, 420);
      await page.screenshot({ path: `${DIR}list-${colorScheme}.png` });
    });

    test("detail", async ({ page }) => {
      const job = state.seeded.find((j) => j.type === "markdown.render" && j.status === "completed")!;
      await page.goto(`/jobs/${job.id}#token=${demoToken}`);
      await expect(page.frameLocator("iframe").getByRole("heading")).toBeVisible();
      await page.screenshot({ path: `${DIR}detail-${colorScheme}.png`, fullPage: true });
    });

    test("queues", async ({ page }) => {
      // Configured queues (no jobs of the seeded lists move): one with limits, one paused.
      const api = apiAs(state.baseUrl, demoToken);
      await api.putQueue("emails", {
        concurrency: 10,
        perKeyConcurrency: 2,
        rateLimit: { limit: 100, periodMs: 60_000 },
        perKeyRateLimit: null,
      });
      await api.putQueue("reports", {
        concurrency: 1,
        perKeyConcurrency: null,
        rateLimit: null,
        perKeyRateLimit: null,
      });
      await api.pauseQueue("reports");
      await page.goto(`/queues#token=${demoToken}`);
      await expect(page.getByRole("switch", { name: "Pause reports" })).toHaveAttribute(
        "aria-checked",
        "true",
      );
      await page.getByRole("button", { name: "Edit limits of emails" }).click();
      await expect(page.getByRole("form", { name: "Limits of emails" })).toBeVisible();
      await page.screenshot({ path: `${DIR}queues-${colorScheme}.png` });
    });

    test("create", async ({ page }) => {
      await page.goto(`/jobs/new?type=http.request#token=${demoToken}`);
      await page
        .getByLabel("Payload (JSON)")
        .fill('{\n  "url": "https://example.com/",\n  "timeoutMs": 90000\n}');
      await page.getByRole("button", { name: "Create job" }).click();
      await expect(page.getByText("timeoutMs: must be at most 60000")).toBeVisible();
      await page.screenshot({ path: `${DIR}create-${colorScheme}.png`, fullPage: true });
    });
  });
}

test.describe("phone", () => {
  test.use({ colorScheme: "dark", viewport: { width: 390, height: 844 } });

  test("list", async ({ page }) => {
    await page.goto(`/#token=${demoToken}`);
    await expect(jobRows(page).first()).toBeVisible();
    await page.screenshot({ path: `${DIR}list-phone-dark.png` });
  });
});
