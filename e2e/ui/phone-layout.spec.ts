import { expect, jobRows, state, test } from "../support/fixtures";

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the jobs list's filters fold behind one button, and the list starts near the top", async ({
    page,
  }) => {
    await page.goto(state.signInUrl);
    await expect(jobRows(page).first()).toBeVisible();
    const filters = page.getByRole("group", { name: "Filters" });
    const button = page.getByRole("button", { name: "Filters", exact: true });
    await expect(filters).toBeHidden();
    await expect(button).toHaveAttribute("aria-expanded", "false");
    // Exporting and ticking rows are left to wider screens.
    await expect(page.getByRole("group", { name: "Export" })).toBeHidden();
    // The header, one row of tools and the summary: the first job shows in the top 30% of the screen
    // (open, the filters alone take a quarter of it).
    const firstRowTop = async () => (await jobRows(page).first().boundingBox())?.y ?? Infinity;
    // Other specs create this user's jobs meanwhile: "N new jobs in this view — Show" may take a
    // line of its own above the list. Showing them puts the list back in its resting layout.
    const arrivals = page.getByRole("status").filter({ hasText: /new jobs? in this view/ });
    for (let i = 0; i < 3 && (await arrivals.isVisible()); i++)
      await arrivals.getByRole("button", { name: "Show" }).click();
    const folded = await firstRowTop();
    expect(folded).toBeLessThan(844 * 0.3);

    await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(filters).toBeVisible();
    expect(await firstRowTop()).toBeGreaterThan(folded + 100);
    await filters.getByRole("checkbox", { name: "failed" }).check();
    await expect(page).toHaveURL(/status=failed/);

    // Folded again, the button still says that a filter is on.
    await page.getByRole("button", { name: /^Filters/ }).click();
    await expect(filters).toBeHidden();
    await expect(page.getByRole("button", { name: "Filters (1)" })).toHaveAttribute("aria-expanded", "false");
  });
});

test("on a wide screen the filters show as they are, with no button", async ({ page }) => {
  await page.goto(state.signInUrl);
  await expect(page.getByRole("group", { name: "Filters" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Filters/ })).toBeHidden();
});
