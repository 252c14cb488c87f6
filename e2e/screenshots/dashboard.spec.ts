/**
 * `npm run screenshots -w @jobdeck/e2e` writes docs/screenshots/*.png (shown in the README) from
 * the same seeded server the tests use, in the light and the dark theme.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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

    test("schedule", async ({ page }) => {
      // The form as it is typed: the expression in words, the next fire times in both zones.
      await page.goto(`/schedules/new#token=${demoToken}`);
      const form = page.getByRole("form", { name: "New schedule" });
      await form.getByRole("textbox", { name: "Name", exact: true }).fill("office-hours-report");
      await form.getByRole("textbox", { name: "Cron expression" }).fill("*/15 9-17 * * MON-FRI");
      await form.getByRole("combobox", { name: "Time zone" }).fill("Europe/Berlin");
      await expect(form.getByRole("table", { name: "Next 5 fire times" })).toBeVisible();
      await page.screenshot({ path: `${DIR}schedule-${colorScheme}.png`, fullPage: true });
    });

    test("webhook", async ({ page }) => {
      // A receiver that refuses its second request only, so the log shows a failure and its retry.
      let count = 0;
      const receiver = createServer((request, response) => {
        request.resume();
        request.on("end", () => response.writeHead(count++ === 1 ? 500 : 200).end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = receiver.address() as AddressInfo;
        const created = await fetch(`${state.baseUrl}/v1/webhooks`, {
          method: "POST",
          headers: { authorization: `Bearer ${demoToken}`, "content-type": "application/json" },
          body: JSON.stringify({
            url: `http://127.0.0.1:${port}/hooks/${colorScheme}`,
            events: ["job.completed", "job.failed"],
            filter: { queue: ["emails"] },
          }),
        });
        const { data } = (await created.json()) as { data: { id: string } };
        await page.goto(`/webhooks/${data.id}#token=${demoToken}`);
        // The second message is refused once, then retried about a second later: three attempts.
        for (const rows of [1, 3]) {
          await page.getByRole("button", { name: "Send test" }).click();
          await expect(page.getByRole("button", { name: /^Redeliver/ })).toHaveCount(rows, {
            timeout: 15_000,
          });
        }
        await page.mouse.move(0, 0);
        await page.screenshot({ path: `${DIR}webhook-${colorScheme}.png` });
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
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
