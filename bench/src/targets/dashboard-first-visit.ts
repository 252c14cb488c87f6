import { request } from "node:http";
import type { Request, Response } from "playwright-core";
import { commandFor } from "../context.js";
import { VIEWPORT } from "../dashboard/browser.js";
import { dashboardUnavailable, openDashboard } from "../dashboard/session.js";
import { sleep } from "../processes.js";
import { round, spread } from "../stats.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

/** The issue's 110 KB, read as 110,000 bytes (kB, as Vite's build report prints them): the stricter reading. */
const GOAL = { op: "<=", value: 110 } as const;
/**
 * A first visit is over when nothing new has been asked for in this long after the first rows
 * show: lazy chunks the list imports on mount, fonts, a second API call. The event stream stays
 * open and is not code, so it does not hold the window open.
 */
const QUIET_MS = 2_000;
const MAX_SETTLE_MS = 10_000;
const kB = (bytes: number) => round(bytes / 1000, 1);
/** What the target counts: the page, its scripts and its style sheets. */
const COUNTED = new Set(["document", "script", "stylesheet"]);

type File = { path: string; kind: string; raw: number; wire: number; encoding: string; gzipOnly: number };

/** The bytes jobdeck sends for `path` to a client that accepts gzip only (plain http on a LAN address). */
function gzipOnlyBytes(baseUrl: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      {
        headers: {
          "accept-encoding": "gzip, deflate",
          accept: path.endsWith(".html") || path === "/" ? "text/html" : "*/*",
        },
      },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve(bytes));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * R7′: the bytes a first visit really downloads. A fresh browser context (empty cache) opens the
 * signed-in dashboard on the job list; every document, script and style sheet it requests until
 * the first rows show and then QUIET_MS pass with no new request is counted, at the size the
 * response body had on the wire (Chromium's encoded body size): jobdeck sends the build's brotli
 * copies to a browser that accepts br, as Chromium does on loopback. The same files as a
 * gzip-only client receives them are reported beside it.
 */
export const dashboardFirstVisitTarget: Target = {
  id: "R7′",
  title: "Bytes a first visit to the dashboard downloads (compressed JS + CSS + HTML, as sent)",
  goal: "≤ 110 KB",
  providers: [],
  unavailable: dashboardUnavailable,
  async run(ctx) {
    const session = await openDashboard(ctx, 100);
    try {
      const responses: Response[] = [];
      let lastRequestAt = Date.now();
      let document: Request | undefined;
      const page = await session.openList((p) => {
        p.on("request", (req) => {
          lastRequestAt = Date.now();
          if (req.resourceType() === "document") document ??= req;
        });
        p.on("response", (response) => responses.push(response));
      });
      const settleStarted = Date.now();
      lastRequestAt = Math.max(lastRequestAt, settleStarted);
      while (Date.now() - lastRequestAt < QUIET_MS && Date.now() - settleStarted < MAX_SETTLE_MS)
        await sleep(100);

      const acceptEncoding = (await document?.allHeaders())?.["accept-encoding"] ?? "?";
      const counted = responses.filter((r) => COUNTED.has(r.request().resourceType()));
      const others = responses.filter((r) => !COUNTED.has(r.request().resourceType()));
      const files: File[] = await Promise.all(
        counted.map(async (response) => {
          const path = new URL(response.url()).pathname;
          const sizes = await response.request().sizes();
          return {
            path,
            kind: response.request().resourceType(),
            raw: (await response.body()).length,
            wire: sizes.responseBodySize,
            encoding: (await response.allHeaders())["content-encoding"] ?? "identity",
            gzipOnly: await gzipOnlyBytes(session.baseUrl, path),
          };
        }),
      );
      // The event stream (GET /v1/events) never finishes, so its size is never known: left out.
      const answers = others.filter((r) => !new URL(r.url()).pathname.startsWith("/v1/events"));
      const otherBytes = (
        await Promise.all(answers.map(async (r) => (await r.request().sizes()).responseBodySize))
      ).reduce((t, n) => t + n, 0);
      await page.context().close();
      if (!files.some((f) => f.kind === "script"))
        throw new Error("R7′: the dashboard loaded no JavaScript at all");

      const sum = (key: "raw" | "wire" | "gzipOnly", kind?: string) =>
        files.filter((f) => !kind || f.kind === kind).reduce((total, f) => total + f[key], 0);
      const total = kB(sum("wire"));
      const measurement: Measurement = {
        label: `First visit, JS + CSS + HTML as sent (${files.length} files)`,
        unit: "kB",
        value: spread([total]),
        goal: GOAL,
        isMet: meets(total, GOAL),
        extra: {
          "JS / CSS / HTML (kB)": `${kB(sum("wire", "script"))} / ${kB(sum("wire", "stylesheet"))} / ${kB(sum("wire", "document"))}`,
          "content-encoding": [...new Set(files.map((f) => f.encoding))].join(", "),
          "Accept-Encoding sent": acceptEncoding,
          "to a gzip-only client (kB)": kB(sum("gzipOnly")),
          "uncompressed (kB)": kB(sum("raw")),
          "API answers meanwhile (kB, not counted)": kB(otherBytes),
        },
        command: commandFor(ctx.mode, "R7′"),
      };
      return {
        id: "R7′",
        title: this.title,
        goal: this.goal,
        status: statusOf([measurement]),
        measurements: [measurement],
        notes: [
          `A fresh Chromium context (empty cache, ${VIEWPORT.width}×${VIEWPORT.height}) opens the signed-in dashboard on a list of 100 jobs. Every document, script and style sheet it requests until its first rows show and then ${QUIET_MS / 1000} s pass with no new request (at most ${MAX_SETTLE_MS / 1000} s) is counted at its body's size on the wire (Chromium's encoded body size): the HTML, the entry, its module preloads, the CSS and any chunk the first view imports. The API's JSON answers are data, not the dashboard's code, and are reported apart. kB are 1,000 bytes, so 110 KB is read as 110,000 bytes.`,
          'jobdeck sends the build\'s precompressed copies (apps/web/scripts/precompress.mjs; apps/api/src/http/precompressed.ts): brotli at quality 11 to a client that accepts br, as Chromium does on loopback and over https, and gzip at level 9 otherwise (Chromium over plain http to a LAN address). The figure is what this Chromium received; the column "to a gzip-only client" is the same files fetched again with `Accept-Encoding: gzip, deflate`.',
          `Files: ${files.map((f) => `\`${f.path}\` ${kB(f.wire)} kB ${f.encoding} (${kB(f.raw)} kB raw)`).join(", ")}.`,
        ],
      };
    } finally {
      await session.close();
    }
  },
};
