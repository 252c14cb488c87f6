import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { CONTENDERS } from "../contenders.js";
import type { BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase } from "../databases.js";
import { repoRoot } from "../paths.js";
import type { Running } from "../processes.js";
import { seedSqlite } from "../seed/seed-sqlite.js";
import { userId } from "../seed/plan.js";
import { benchToken } from "../tokens.js";
import { chromiumMissing, launchChromium, VIEWPORT } from "./browser.js";

/**
 * The dashboard as a person opens it: jobdeck's built server (which serves apps/web/dist) over a
 * SQLite file holding `rows` jobs of one user, and headless Chromium signed in as that user
 * through the link's `#token=` fragment. R7, R8 and R9's heap figure each open their own.
 */

export const webDist = join(repoRoot, "apps/web/dist");
/** The list's scroll container and its rendered job rows (apps/web/src/features/jobs/jobs-table.tsx). */
export const SCROLLER = ".table-scroll";
export const JOB_ROWS = `${SCROLLER} [data-index]`;

export type DashboardSession = {
  baseUrl: string;
  browser: Browser;
  /** A new context (empty cache) and page, signed in, once the list shows its first rows. */
  openList(onPage?: (page: Page) => void): Promise<Page>;
  close(): Promise<void>;
};

export function dashboardUnavailable(): string | undefined {
  return (
    chromiumMissing() ??
    (existsSync(join(webDist, "index.html"))
      ? undefined
      : `${webDist}/index.html is missing: build first (npx turbo run build)`)
  );
}

export async function openDashboard(ctx: BenchContext, rows: number): Promise<DashboardSession> {
  const user = userId(0);
  let db: BenchDatabase | undefined;
  let server: Running | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await db?.drop();
  };
  try {
    db = await createBenchDatabase("sqlite", `dashboard_${rows}`);
    seedSqlite(db.location, { totalRows: rows, users: 1, heavy: [rows], deepRows: 0 });
    server = await CONTENDERS.jobdeck.start(db, { core: ctx.cores.server });
    browser = await launchChromium();
    const baseUrl = server.ready;
    const token = benchToken(user);
    const opened = browser;
    return {
      baseUrl,
      browser: opened,
      async openList(onPage) {
        const context = await opened.newContext({ viewport: VIEWPORT });
        const page = await context.newPage();
        onPage?.(page);
        await page.goto(`${baseUrl}/#token=${token}`);
        await page.waitForSelector(JOB_ROWS, { timeout: 30_000 });
        return page;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Scrolls the list to its end until every page is loaded, as a reader holding End would: each
 * jump to the bottom makes the list ask for the next page. Returns the rows loaded (from the
 * table's aria-rowcount, which is -1 while more pages exist and rows + 1 after the last).
 */
export async function loadEveryRow(page: Page, timeoutMs: number): Promise<number> {
  return page.evaluate(
    async ({ scroller, timeoutMs }) => {
      const element = document.querySelector<HTMLElement>(scroller);
      const table = element?.querySelector('[aria-label="Jobs"][aria-rowcount]');
      if (!element || !table) throw new Error(`no ${scroller} with a table`);
      const deadline = performance.now() + timeoutMs;
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      for (;;) {
        element.scrollTop = element.scrollHeight;
        await nextFrame();
        const count = Number(table.getAttribute("aria-rowcount"));
        if (count > 0) return count - 1;
        if (performance.now() > deadline) {
          const footer = table.querySelector(".list-footer")?.textContent ?? "";
          throw new Error(`the list did not reach its end in ${timeoutMs} ms (footer: ${footer})`);
        }
      }
    },
    { scroller: SCROLLER, timeoutMs },
  );
}

/** The page's JS heap after a full garbage collection, in MB (2^20 bytes, as RSS is). */
export async function heapAfterGcMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    return usedSize / 2 ** 20;
  } finally {
    await cdp.detach();
  }
}
