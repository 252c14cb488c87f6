import type { Browser, Page } from "playwright-core";
import { quantile, round } from "../stats.js";

/**
 * Frame times while a list scrolls steadily, read in the page: each requestAnimationFrame callback
 * moves the scroll container to where a steady scroll of `pxPerMs` would be by then, and the gap
 * between callbacks' timestamps is one frame. The list re-renders on the scroll event, before the
 * new position is painted, so a slow render shows as a long frame. Frames over 50 ms are also broken down by the
 * Long Animation Frames API (script vs style and layout), where Chromium has it.
 */
export type FrameRound = {
  /** Milliseconds between consecutive frames. */
  deltas: number[];
  /** The most job rows the list had in the DOM at any frame of the round. */
  maxRows: number;
  longFrames: { duration: number; scriptMs: number; layoutMs: number }[];
  hasLongFrameApi: boolean;
};

export type ScrollPlan = {
  scroller: string;
  /** Where in the scrollable range the round starts (0 = top, 1 = as low as the distance allows). */
  startFraction: number;
  pxPerMs: number;
  ms: number;
};

export function scrollRound(page: Page, plan: ScrollPlan): Promise<FrameRound> {
  return page.evaluate(async ({ scroller, startFraction, pxPerMs, ms }) => {
    const element = document.querySelector<HTMLElement>(scroller);
    if (!element) throw new Error(`no ${scroller}`);
    const maxTop = element.scrollHeight - element.clientHeight;
    const start = Math.max(0, (maxTop - pxPerMs * ms) * startFraction);
    element.scrollTop = start;
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    // Let the jump to the start render before the first measured frame.
    await nextFrame();
    await nextFrame();

    const longFrames: FrameRound["longFrames"] = [];
    type LongFrame = PerformanceEntry & {
      styleAndLayoutStart: number;
      scripts: { duration: number }[];
    };
    const hasLongFrameApi = PerformanceObserver.supportedEntryTypes.includes("long-animation-frame");
    const observer = hasLongFrameApi
      ? new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as LongFrame[]) {
            longFrames.push({
              duration: entry.duration,
              scriptMs: entry.scripts.reduce((t, s) => t + s.duration, 0),
              layoutMs: entry.styleAndLayoutStart
                ? entry.startTime + entry.duration - entry.styleAndLayoutStart
                : 0,
            });
          }
        })
      : undefined;
    observer?.observe({ type: "long-animation-frame" });

    const deltas: number[] = [];
    let maxRows = 0;
    await new Promise<void>((resolve) => {
      let first: number | undefined;
      let last = 0;
      const step = (now: number) => {
        if (first === undefined) first = now;
        else deltas.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, element.querySelectorAll("[data-index]").length);
        if (now - first >= ms) {
          resolve();
          return;
        }
        element.scrollTop = Math.min(maxTop, start + pxPerMs * (now - first));
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    // Entries of the last frames are delivered after them.
    await nextFrame();
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer?.disconnect();
    return { deltas, maxRows, longFrames, hasLongFrameApi };
  }, plan);
}

export type FrameSummary = { p50: number; p95: number; p99: number; dropped: number; frames: number };

/**
 * A gap of one and a half 60 Hz frames or more means at least one frame was missed; gaps just over
 * 16.7 ms are the timer's jitter around 16.67 ms, not a missed frame.
 */
export const DROPPED_MS = 25;

/**
 * Percentiles of a round's frame times, and the share of gaps where a frame was dropped. Chromium
 * gives pages a clock of 0.1 ms resolution, so percentiles are rounded to that: a p95 of
 * 16.700000000001 ms is 16.7 ms.
 */
export function summarise(deltas: number[]): FrameSummary {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => round(quantile(sorted, q), 1);
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    dropped: sorted.filter((d) => d >= DROPPED_MS).length / Math.max(1, sorted.length),
    frames: sorted.length,
  };
}

/**
 * A page with nothing but a scroll container as tall as the list (a striped background, so the
 * compositor has pixels to move): scrolled the same way, it shows what this browser on this
 * machine manages with no application at all.
 */
export function controlPage(height: number): string {
  return `<!doctype html><html><head><style>
html, body { margin: 0; height: 100%; }
.table-scroll { height: 100%; overflow: auto; }
.tall { height: ${height}px; background: repeating-linear-gradient(#fff 0 33px, #ddd 33px 34px); }
</style></head><body><div class="table-scroll"><div class="tall"></div></div></body></html>`;
}

/** Main-thread milliseconds per frame of one traced round, by what the time went to. */
export type FrameProfile = {
  frames: number;
  /** Wall-clock time the main thread was running tasks… */
  busy: number;
  /** …and the CPU time it actually got for them: on a busy machine the gap is time spent waiting for a core. */
  busyCpu: number;
  scrollHandlers: number;
  styleAndLayout: number;
  paint: number;
  gc: number;
};

type TraceEvent = {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  /** Thread (CPU) time, where the platform reports it. */
  tdur?: number;
  args?: { name?: string; data?: { type?: string } };
};

/**
 * One more round, traced with the DevTools timeline categories (tracing slows the page, so its
 * frames are not counted): where the renderer's main thread spends each frame. Scroll handlers
 * are where the list re-renders; style and layout are counted wherever they run (forced by the
 * scroll position being set, or in the frame's own lifecycle).
 */
export async function profileRound(browser: Browser, page: Page, plan: ScrollPlan): Promise<FrameProfile> {
  await browser.startTracing(page, {
    categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8"],
  });
  const round_ = await scrollRound(page, plan);
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] })
    .traceEvents;
  // The page's renderer main thread: the one that ran the round's animation frames.
  const counts = new Map<string, number>();
  for (const e of events)
    if (e.name === "FireAnimationFrame")
      counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const total = (match: (e: TraceEvent) => boolean, clock: "dur" | "tdur" = "dur") =>
    events
      .filter((e) => e.ph === "X" && `${e.pid}:${e.tid}` === main && match(e))
      .reduce((t, e) => t + (e[clock] ?? 0) / 1000, 0);
  const isTask = (e: TraceEvent) => e.name === "ThreadControllerImpl::RunTask";
  const frames = Math.max(1, round_.deltas.length);
  const perFrame = (ms: number) => round(ms / frames, 2);
  return {
    frames,
    busy: perFrame(total(isTask)),
    busyCpu: perFrame(total(isTask, "tdur")),
    scrollHandlers: perFrame(total((e) => e.name === "EventDispatch" && e.args?.data?.type === "scroll")),
    styleAndLayout: perFrame(total((e) => e.name === "UpdateLayoutTree" || e.name === "Layout")),
    paint: perFrame(total((e) => e.name === "Paint" || e.name === "PrePaint" || e.name === "Layerize")),
    gc: perFrame(total((e) => /^(MinorGC|MajorGC|V8\.GC)/.test(e.name))),
  };
}
