import { expect, jobRows, openSignedIn, renderedRows, state, test } from "../support/fixtures";

test("a job created through the form appears at the top of the list", async ({ page }) => {
  await openSignedIn(page, state.tokens.creator);
  await expect(page.getByRole("heading", { name: "No jobs yet" })).toBeVisible();
  await page.getByRole("link", { name: "Create a job" }).click();

  await page.getByLabel("Type").selectOption("sleep");
  await expect(page.getByLabel("Payload (JSON)")).toHaveValue(/"ms": 2000/);
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
  await page.getByLabel("Type").selectOption("image.thumbnail");
  // The published schema only says "string"; the server's own check is stricter.
  await page.getByLabel("Payload (JSON)").fill('{ "source": "not-a-url", "width": 10, "format": "png" }');
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("alert")).toContainText("The server refused the job.");
  await expect(page.getByLabel("Payload (JSON)")).toHaveAccessibleDescription(
    /source: must be a data: URL of an image \(base64\) or an http\(s\) URL/,
  );
  await expect(page).toHaveURL(/\/jobs\/new/);
});
