import type { BenchContext } from "../context.js";
import { commandFor } from "../context.js";
import { heapAfterGcMb, loadEveryRow, openDashboard } from "../dashboard/session.js";
import { round, spread } from "../stats.js";
import { meets, type Measurement } from "./types.js";

const HEAP_GOAL = { op: "<=", value: 60 } as const;
/** Readings after a collection barely differ; a few show that they do not. */
const READINGS = 3;

/**
 * R9's dashboard part: the page's JS heap after a full garbage collection (DevTools protocol
 * HeapProfiler.collectGarbage, then Runtime.getHeapUsage), with the first page of the list loaded
 * and with every one of `rows` jobs loaded. The loaded figure is the target's.
 */
export async function measureDashboardHeap(
  ctx: BenchContext,
): Promise<{ measurement: Measurement; note: string }> {
  const { rows } = ctx.mode.dashboard;
  const session = await openDashboard(ctx, rows);
  try {
    const page = await session.openList();
    const firstPage = await heapAfterGcMb(page);
    const loaded = await loadEveryRow(page, 120_000);
    if (loaded !== rows) throw new Error(`R9: the list loaded ${loaded} rows, the database holds ${rows}`);
    const readings: number[] = [];
    for (let i = 0; i < READINGS; i++) readings.push(round(await heapAfterGcMb(page), 2));
    const value = spread(readings);
    return {
      measurement: {
        label: `Dashboard JS heap with ${rows.toLocaleString("en")} rows loaded, after GC`,
        unit: "MB",
        value,
        goal: HEAP_GOAL,
        isMet: meets(value.median, HEAP_GOAL),
        rounds: { "heap (MB)": readings },
        extra: { "with the first page only (MB)": round(firstPage, 1) },
        command: commandFor(ctx.mode, "R9"),
      },
      note: `Dashboard heap: ${rows.toLocaleString("en")} jobs of one user on SQLite, served by jobdeck's built server; headless Chromium signs in, reads its heap after a forced full GC with the first page shown, then jumps to the bottom of the list until every page has loaded and reads it ${READINGS} times more (DevTools protocol: HeapProfiler.collectGarbage, Runtime.getHeapUsage; MB = 2^20 bytes).`,
    };
  } finally {
    await session.close();
  }
}
