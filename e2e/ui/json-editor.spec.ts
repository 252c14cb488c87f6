import { expect, openSignedIn, state, test } from "../support/fixtures";

const isEditorChunk = (url: string) => /\/assets\/code-editor-[\w-]+\.js$/.test(new URL(url).pathname);

test("the payload editor is fetched when the form opens, not on the first visit", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
  });
  await page.goto(state.signInUrl);
  await expect(page.getByRole("table", { name: "Jobs" })).toBeVisible();
  expect(scripts.filter(isEditorChunk)).toEqual([]);

  await page.getByRole("link", { name: "New job" }).click();
  await expect(page.locator(".json-editor .cm-content")).toBeVisible();
  expect(scripts.filter(isEditorChunk)).toHaveLength(1);
});

test("the payload editor highlights JSON, marks errors at their line and completes from the type's schema", async ({
  page,
}) => {
  await openSignedIn(page, state.tokens.validator, "/jobs/new?type=http.request");
  const payload = page.getByRole("textbox", { name: "Payload (JSON)" });
  await expect(payload).toHaveAttribute("contenteditable", "true");
  await payload.fill('{\n  "url": "https://example.com/",\n  "timeoutMs": 90000\n}');

  // Highlighting: a key and a string value are drawn in different colours.
  const colourOf = (text: string) =>
    payload.getByText(text, { exact: true }).evaluate((element) => getComputedStyle(element).color);
  expect(await colourOf('"url"')).not.toBe(await colourOf('"https://example.com/"'));

  // The schema's complaint, at the line it is about, as the reader types (no submit needed).
  await expect(page.locator(".cm-lintRange-error")).toHaveText('"timeoutMs": 90000');
  const gutterMarker = page
    .locator(".cm-gutter-lint .cm-gutterElement")
    .filter({ has: page.locator(".cm-lint-marker-error") });
  await expect(gutterMarker).toHaveCount(1);
  const lineTop = async (locator: ReturnType<typeof page.locator>) => (await locator.boundingBox())?.y ?? -1;
  expect(await lineTop(gutterMarker)).toBeCloseTo(await lineTop(payload.locator(".cm-line").nth(2)), 0);

  // A syntax error moves the mark to where the JSON goes wrong.
  await payload.fill('{\n  "url": "https://example.com/"\n  "method": "GET"\n}');
  await expect(page.locator(".cm-lintRange-error")).toHaveText('"');
  await expect(page.locator(".cm-lint-marker-error")).toHaveCount(1);

  // Completion: a key the schema has, then one of the values its enum allows.
  await payload.fill('{\n  "url": "https://example.com/",\n  \n}');
  await payload.press("Control+End");
  await payload.press("ArrowUp");
  await payload.press("End");
  await payload.pressSequentially('"me');
  const options = page.getByRole("listbox");
  // CodeMirror ignores Enter for 75 ms after its list opens (interactionDelay), so that a fast typist's
  // Enter makes a new line rather than taking a suggestion they have not seen: a person's pace here.
  const accept = async () => {
    await page.waitForTimeout(250);
    await payload.press("Enter");
  };
  await expect(options.getByRole("option", { name: /method/ })).toBeVisible();
  await accept();
  await expect(payload).toHaveText('{  "url": "https://example.com/",  "method": }');
  await payload.pressSequentially('"PO');
  await expect(options.getByRole("option", { name: /"POST"/ })).toBeVisible();
  await accept();
  await expect(payload).toHaveText('{  "url": "https://example.com/",  "method": "POST"}');
  await expect(page.locator(".cm-lint-marker-error")).toHaveCount(0);
});

test("Ctrl+Enter sends the form from the editor; the form's own checks still speak first", async ({
  page,
}) => {
  await openSignedIn(page, state.tokens.validator, "/jobs/new?type=sleep");
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  const payload = page.getByRole("textbox", { name: "Payload (JSON)" });
  await payload.fill('{ "ms": -1 }');
  await payload.press("Control+Enter");
  await expect(payload).toHaveAttribute("aria-invalid", "true");
  await expect(payload).toHaveAccessibleDescription(/ms: must be at least 0/);
  await expect(payload).toBeFocused();
  expect(posts).toEqual([]);
});

test("a reader who prefers it gets a plain text area, in every payload field, until they switch back", async ({
  page,
}) => {
  await openSignedIn(page, state.tokens.validator, "/jobs/new?type=sleep");
  await expect(page.locator(".json-editor .cm-content")).toBeVisible();
  await page.getByRole("button", { name: "Plain text" }).click();
  await expect(page.getByRole("button", { name: "Plain text" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Payload (JSON)")).toHaveValue(/"ms": 2000/);

  await page.reload();
  await expect(page.getByLabel("Payload (JSON)")).toHaveValue(/"ms": 2000/);
  await page.getByRole("button", { name: "Plain text" }).click();
  await expect(page.getByRole("textbox", { name: "Payload (JSON)" })).toHaveAttribute(
    "contenteditable",
    "true",
  );
});
