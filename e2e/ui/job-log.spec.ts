/**
 * §14 on the job page, against the "live" server: a job's log followed as it is written (the
 * worker's own line for each failed attempt, sent as `log` events), filtered by level, beside the
 * attempts timeline and the progress bar. The job is an http.request to a server of this test that
 * answers only when the test says, so that each line is written while the page watches.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, Request } from "@playwright/test";
import { expect, liveTest as test, liveUser, openSignedIn } from "../support/fixtures";

const RUN = { timeout: 15_000 };

/** An upstream whose requests wait until the test answers them, one at a time. */
async function heldUpstream() {
  const waiting: ServerResponse[] = [];
  let seen = 0;
  const server = createServer((_request, response) => {
    seen += 1;
    waiting.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`,
    /** Resolves once the n-th request (from 1) has arrived. */
    async arrived(n: number) {
      await expect.poll(() => seen, RUN).toBeGreaterThanOrEqual(n);
    },
    answer(status: number, body = "") {
      const response = waiting.shift();
      if (!response) throw new Error("no request is waiting");
      response.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
      response.end(body);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** GET requests to `path` from now on. */
function readsOf(page: Page, path: string): Request[] {
  const requests: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === path) requests.push(request);
  });
  return requests;
}

test("the job page follows a job's log as it is written, by level, with every attempt", async ({ page }) => {
  const { token, api } = liveUser("logreader");
  const upstream = await heldUpstream();
  try {
    const job = await api.create("http.request", { url: upstream.url });
    await upstream.arrived(1);
    const logReads = readsOf(page, `/v1/jobs/${job.id}/logs`);
    await openSignedIn(page, token, `/jobs/${job.id}`);

    const log = page.getByRole("log", { name: "Job log" });
    const lines = log.getByRole("listitem");
    await expect(page.getByRole("checkbox", { name: "Follow new lines" })).toBeChecked();
    await expect(log).toContainText("No lines yet.");
    // The first line comes only as a live event: the stream must be open before it is written.
    await expect(page.getByRole("banner").getByText(/^(Live|Reconnecting…|Connecting…)$/)).toHaveText("Live");

    // Each failed attempt's line arrives live, while the page stays open.
    upstream.answer(500);
    await expect(lines).toHaveCount(1, RUN);
    await expect(lines.first()).toContainText(/attempt 1 of 3 failed with HTTP_SERVER_ERROR: .*retrying at/);
    await upstream.arrived(2);
    upstream.answer(503);
    await expect(lines).toHaveCount(2, RUN);
    await expect(lines.nth(1)).toContainText("attempt 2 of 3 failed with HTTP_SERVER_ERROR");
    await upstream.arrived(3);
    upstream.answer(200, "x".repeat(2000));
    await expect(page.getByRole("region", { name: "Overview" }).getByText("completed")).toBeVisible(RUN);
    expect(logReads).toHaveLength(1);

    // The progress the handler reported last (the body's bytes), and every attempt.
    await expect(page.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute(
      "aria-valuetext",
      "2,000 of 2,000 (100 %) · bytes read",
    );
    const attempts = page.getByRole("list", { name: "Attempts" });
    await expect(attempts.getByRole("listitem")).toHaveCount(3);
    await expect(attempts.getByRole("listitem", { name: "Attempt 1: Failed" })).toContainText(
      "HTTP_SERVER_ERROR",
    );
    await expect(attempts.getByRole("listitem", { name: "Attempt 3: Completed" })).toBeVisible();

    // The level filter: the worker's lines are warnings.
    await page.getByRole("checkbox", { name: "warn" }).uncheck();
    await expect(log).toContainText("No lines of these levels yet.");
    await page.getByRole("checkbox", { name: "warn" }).check();
    await expect(lines).toHaveCount(2);
  } finally {
    await upstream.close();
  }
});
