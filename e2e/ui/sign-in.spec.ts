import { expect, jobsTable, openSignedIn, state, test } from "../support/fixtures";

test("the printed link signs in, the token leaves the address bar, and sign-out ends the session", async ({
  page,
}) => {
  await page.goto(state.signInUrl);
  await expect(page.getByText("Signed in as demo")).toBeVisible();
  await expect(jobsTable(page)).toBeVisible();
  expect(page.url()).toBe(`${state.baseUrl}/`);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to jobdeck" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in to jobdeck" })).toBeVisible();
});

test("the link pasted into a tab that already shows the sign-in page signs in, and the token leaves the address bar", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sign in to jobdeck" })).toBeVisible();
  // Pasting the link into this tab's address bar changes only the fragment: the page does not load again.
  const { hash } = new URL(state.signInUrl);
  await page.evaluate((fragment) => {
    location.hash = fragment;
  }, hash);
  await expect(page.getByText("Signed in as demo")).toBeVisible();
  await expect(jobsTable(page)).toBeVisible();
  expect(page.url()).toBe(`${state.baseUrl}/`);
});

test("the link pasted into a tab signed in as someone else switches to the link's user", async ({ page }) => {
  await openSignedIn(page, state.tokens.creator);
  await expect(page.getByText("Signed in as creator")).toBeVisible();
  const { hash } = new URL(state.signInUrl);
  await page.evaluate((fragment) => {
    location.hash = fragment;
  }, hash);
  await expect(page.getByText("Signed in as demo")).toBeVisible();
  // The demo user's seeded jobs, read afresh: the first row is their newest.
  await expect(jobsTable(page).getByRole("link", { name: `Job ${state.seeded[0]?.id}` })).toBeVisible();
  expect(page.url()).toBe(`${state.baseUrl}/`);
});

test("a pasted token signs in after the server accepts it", async ({ page }) => {
  await page.goto("/");
  const token = page.getByLabel("Token");
  // A well-formed token that the server did not sign.
  const [header, claims] = state.tokens.creator.split(".");
  await token.fill(`${header}.${claims}.bm90LXRoZS1zaWduYXR1cmU`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The server refused this token");
  await expect(token).toHaveAttribute("aria-invalid", "true");

  await token.fill(state.tokens.creator);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Signed in as creator")).toBeVisible();
});

test("a 401 from the API returns to sign-in and says why", async ({ page }) => {
  const [header, claims] = state.tokens.validator.split(".");
  await openSignedIn(page, `${header}.${claims}.bm90LXRoZS1zaWduYXR1cmU`, "/jobs?status=failed");
  await expect(page.getByRole("heading", { name: "Sign in to jobdeck" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("The server refused your token");
  // Signing in again lands on the page the link pointed to.
  await page.getByLabel("Token").fill(state.tokens.validator);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("checkbox", { name: "failed" })).toBeChecked();
});
