import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { apiAs } from "./api";
import { e2eState, type LiveUser } from "./state";

export { expect };
export const state = e2eState();

/** Every test talks to the server global setup started. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(state.baseUrl);
  },
});

/** Signs in the way the printed link does: the token in the fragment. */
export async function openSignedIn(page: Page, token: string, path = "/"): Promise<void> {
  await page.goto(`${path}#token=${token}`);
}

export const jobsTable = (page: Page): Locator => page.getByRole("table", { name: "Jobs" });

/** The table's job rows (each has a link named "Job <id>"), not the header or the footer. */
export const jobRows = (page: Page): Locator =>
  jobsTable(page)
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: /^Job / }) });

export type RowData = { id: string; type: string; status: string };

/** What the rendered rows say, read in one go (only the visible part of the list is rendered). */
export async function renderedRows(page: Page): Promise<RowData[]> {
  return jobRows(page).evaluateAll((rows) =>
    rows.map((row) => {
      const cells = [...row.querySelectorAll('[role="cell"]')].map((cell) => cell.textContent?.trim() ?? "");
      const label = row.querySelector("a")?.getAttribute("aria-label") ?? "";
      return { id: label.replace(/^Job /, ""), type: cells[1] ?? "", status: cells[2] ?? "" };
    }),
  );
}

/** Scrolls the list to its end, a wheel turn at a time, and returns the rows rendered at each step. */
export async function scrollToEnd(page: Page): Promise<RowData[][]> {
  const screens: RowData[][] = [];
  await jobRows(page).first().hover();
  const end = page.getByText(/^End of list/);
  for (let step = 0; step < 200; step++) {
    screens.push(await renderedRows(page));
    // The footer row is always in the document; the end is reached once it is on screen.
    if ((await end.isVisible()) && (await isOnScreen(end))) return screens;
    await page.mouse.wheel(0, 400);
    // Let a page request answer before asking for the next screen.
    await page.waitForTimeout(60);
  }
  throw new Error("the list never reached its end");
}

const isOnScreen = (locator: Locator) =>
  locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

/** Every row of the list in order, scrolling through it (only the visible part is ever rendered). */
export async function allRows(page: Page): Promise<RowData[]> {
  const byId = new Map<string, RowData>();
  for (const screen of await scrollToEnd(page)) for (const row of screen) byId.set(row.id, row);
  return [...byId.values()];
}

/** Tests against the "live" server, whose workers run the jobs the tests create. */
export const liveTest = base.extend({
  baseURL: async ({}, use) => {
    await use(state.live.baseUrl);
  },
});

/** A user of the live server: the token to sign in with, and the API as that user. */
export function liveUser(user: LiveUser) {
  const token = state.live.tokens[user];
  return { token, api: apiAs(state.live.baseUrl, token) };
}
