import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";
import { createThroughputTarget } from "./create-throughput.js";
import { dashboardBundleTarget } from "./dashboard-bundle.js";
import { dashboardScrollTarget } from "./dashboard-scroll.js";
import { deepPagesTarget } from "./deep-pages.js";
import { listThroughputTarget } from "./list-throughput.js";
import { memoryTarget } from "./memory.js";
import type { Target } from "./types.js";

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
  pendingTarget(
    "R5",
    "No-op jobs run per second on PostgreSQL: jobdeck's worker ÷ graphile-worker (same database, same concurrency, 100,000 jobs)",
    "≥ 1.0×",
    "the worker (branch run)",
    "apps/api/src/worker",
  ),
  pendingTarget(
    "R6",
    "Enqueue-to-start latency, 1,000 sequential jobs: p50 / p99",
    "SQLite p50 ≤ 5 ms; PostgreSQL p50 ≤ 1.5× graphile-worker's",
    "the worker (branch run)",
    "apps/api/src/worker",
  ),
  dashboardBundleTarget,
  dashboardScrollTarget,
  memoryTarget,
];
