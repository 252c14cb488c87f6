import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";
import { createThroughputTarget } from "./create-throughput.js";
import { deepPagesTarget } from "./deep-pages.js";
import { enqueueLatencyTarget } from "./enqueue-latency.js";
import { listThroughputTarget } from "./list-throughput.js";
import { memoryTarget } from "./memory.js";
import type { Target } from "./types.js";
import { workerThroughputTarget } from "./worker-throughput.js";

/**
 * A target that cannot be measured from this checkout yet. When its branch lands, replace the
 * entry with a real Target (a file beside this one) and, if it needs a new process to put under
 * load (the worker, graphile-worker, the dashboard in Chromium), a contender in ../contenders.ts.
 */
function pendingTarget(id: string, title: string, goal: string, needs: string, probe: string): Target {
  return {
    id,
    title,
    goal,
    providers: [],
    unavailable: () =>
      existsSync(join(repoRoot, probe))
        ? `${needs} is here now (${probe}); its measurement is not written yet: add it in bench/src/targets/`
        : `needs ${needs}, which is not on this branch yet (${probe} is missing)`,
    run: () => Promise.reject(new Error(`${id} is not implemented`)),
  };
}

/** Every target of issue 6, in order. `--only R1,R3` picks some. */
export const TARGETS: Target[] = [
  listThroughputTarget("R1", "sqlite"),
  listThroughputTarget("R2", "postgresql"),
  deepPagesTarget,
  createThroughputTarget,
  workerThroughputTarget,
  enqueueLatencyTarget,
  pendingTarget(
    "R7",
    "Dashboard JavaScript shipped on first load, gzipped",
    "≤ 170 KB",
    "the dashboard (branch web)",
    "apps/web/src/features",
  ),
  pendingTarget(
    "R8",
    "Dashboard with 10,000 rows: rows in the DOM; frame time while scrolling (Playwright, Chromium)",
    "DOM rows ≤ visible + 2× overscan; p95 frame ≤ 16.7 ms",
    "the dashboard (branch web)",
    "apps/web/src/features",
  ),
  memoryTarget,
];
