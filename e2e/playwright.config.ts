import { defineConfig, devices } from "@playwright/test";

/**
 * Browser tests against the real built server (see support/global-setup.ts), in Debian's Chromium.
 * One worker: the machine has two cores and the server needs one of them.
 */
export default defineConfig({
  globalSetup: "./support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 7_000 },
  use: {
    ...devices["Desktop Chrome"],
    viewport: { width: 1280, height: 800 },
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      // Without the networking flags Chromium keeps trying to reach hosts it cannot; as root it needs --no-sandbox.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "ui", testDir: "./ui" },
    // `npm run screenshots -w @jobdeck/e2e` rewrites docs/screenshots; `npm test` leaves them alone.
    ...(process.env.SCREENSHOTS ? [{ name: "screenshots", testDir: "./screenshots" }] : []),
  ],
});
