import { expect, jobRows, openSignedIn, renderedRows, state, test } from "../support/fixtures";

test("a job created through the form appears at the top of the list", async ({ page }) => {
  await openSignedIn(page, state.tokens.creator);
  await expect(page.getByRole("heading", { name: "No jobs yet" })).toBeVisible();
  await page.getByRole("link", { name: "Create a job" }).click();

  await page.getByLabel("Type").selectOption("sleep");
  await expect(page.getByLabel("Payload (JSON)")).toHaveText(/"ms": 2000/);
  await page.getByLabel("Payload (JSON)").fill('{ "ms": 1234 }');
  await page.getByRole("button", { name: "Create job" }).click();

  await expect(page).toHaveURL(`${state.baseUrl}/`);
  await expect(page.getByRole("status").filter({ hasText: "Created sleep job" })).toBeVisible();
  await expect(jobRows(page)).toHaveCount(1);
  const [row] = await renderedRows(page);
  expect(row).toMatchObject({ type: "sleep", status: "pending" });

  await page.getByRole("link", { name: `Job ${row!.id}` }).click();
  await expect(page.getByRole("region", { name: "Payload" })).toContainText("ms: 1234");
});

test("the form checks the payload against the type's schema before sending", async ({ page }) => {
  await openSignedIn(page, state.tokens.validator, "/jobs/new?type=sleep");
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  const payload = page.getByLabel("Payload (JSON)");
  // The editor loads lazily and then shows the type's starter payload: typing before that can land
  // beside the starter text instead of replacing it.
  await expect(payload).toHaveText(/"ms": 2000/);
  await payload.fill('{ "ms": -5, "extra": 1 }');
  await page.getByRole("button", { name: "Create job" }).click();
  await expect(payload).toHaveAttribute("aria-invalid", "true");
  await expect(payload).toHaveAccessibleDescription(/ms: must be at least 0/);
  await expect(payload).toHaveAccessibleDescription(/extra: is not an accepted field/);
  await payload.fill("{ not json");
  await expect(payload).toHaveAccessibleDescription(/is not valid JSON/);
  expect(posts).toEqual([]);
});

test("a payload the server refuses shows the API's message next to the payload", async ({ page }) => {
  await openSignedIn(page, state.tokens.validator, "/jobs/new");
  await page.getByLabel("Type").selectOption("markdown.render");
  // Typed before the editor shows the type's starter payload, the text could land beside it.
  await expect(page.getByLabel("Payload (JSON)")).toHaveText(/Release notes/);
  // The published schema can only say "at most 262,144 characters"; the server counts bytes, and
  // 140,000 two-byte characters are 280,000 of them.
  await page.getByLabel("Payload (JSON)").fill(JSON.stringify({ markdown: "é".repeat(140_000) }));
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("alert")).toContainText("The server refused the job.");
  await expect(page.getByLabel("Payload (JSON)")).toHaveAccessibleDescription(
    /markdown: must be at most 262144 bytes/,
  );
  await expect(page).toHaveURL(/\/jobs\/new/);
});
