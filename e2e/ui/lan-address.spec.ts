import { networkInterfaces } from "node:os";
import { expect, test } from "@playwright/test";
import { startServer, type Server } from "../support/server";

/**
 * The first non-loopback IPv4 address of this machine (the first of `hostname -I`), if any. Chromium
 * treats loopback as a secure context and other addresses over http not, so only such an address
 * shows what people on a LAN see.
 */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === "IPv4" && !address.internal)?.address;
}

const address = lanAddress();

test.describe("the dashboard served over plain HTTP on a LAN address", () => {
  test.skip(!address, "this machine has no non-loopback IPv4 address to serve on");
  // Starting one more built server takes a few seconds beside the two of the global setup.
  test.describe.configure({ timeout: 60_000 });

  let server: Server | undefined;
  test.beforeAll(async () => {
    server = await startServer("lan", { HOST: address!, WORKER_CONCURRENCY: "0" });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("renders, with every request over http to that address", async ({ page }) => {
    const { signInUrl, baseUrl } = server!;
    expect(new URL(baseUrl)).toMatchObject({ protocol: "http:", hostname: address });
    const requested: string[] = [];
    const failed: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("requestfailed", (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));

    await page.goto(signInUrl);
    await expect(page.getByText("Signed in as demo")).toBeVisible();
    // The list's empty state: rendered once the API answered the list request.
    await expect(page.getByRole("heading", { name: "No jobs yet" })).toBeVisible();

    expect(failed).toEqual([]);
    const scripts = requested.filter((url) => new URL(url).pathname.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of requested) expect(url.startsWith(`${baseUrl}/`), url).toBe(true);
  });
});
