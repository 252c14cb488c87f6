import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CommitStamp } from "./git.js";
import type { Mode } from "./modes.js";
import type { TargetResult } from "./targets/types.js";

export const RESULTS_SCHEMA = "jobdeck-bench/1";

export type TargetRecord = TargetResult & {
  measuredAt: string;
  seconds: number;
  /** 1-minute load average when the target started and ended: how busy the shared machine was. */
  loadAverage: [number, number];
  /** The commit the figures were measured at (absent in records older than the stamp). */
  commit?: CommitStamp;
  error?: string;
  unavailable?: string;
};

export type Results = {
  schema: typeof RESULTS_SCHEMA;
  mode: Mode["name"];
  machine: {
    cpuModel: string;
    cpus: number;
    memoryGb: number;
    node: string;
    postgres: string | undefined;
    pinning: string;
  };
  seed: {
    rows: number;
    users: number;
    heavyUsers: number[];
    deepRows: number;
    seconds: Record<string, number>;
    /** From the first database's seeding to the last one's end (they are seeded side by side). */
    wallSeconds?: number;
    note: string;
  };
  server: { env: Record<string, string>; main: string };
  runs: {
    startedAt: string;
    finishedAt: string;
    seconds: number;
    command: string;
    loadAverage: number[][];
    commit?: CommitStamp;
  }[];
  targets: TargetRecord[];
};

export const resultsFile = (dir: string, mode: Mode["name"]) => join(dir, `${mode}.json`);

export function readResults(dir: string, mode: Mode["name"]): Results | undefined {
  const file = resultsFile(dir, mode);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Results;
  return parsed.schema === RESULTS_SCHEMA ? parsed : undefined;
}

/**
 * Writes this run's results. A run of some targets (`--only`) replaces those targets in the
 * mode's file and keeps the others, so BENCHMARKS.md always shows every target's latest figures.
 */
export function writeResults(dir: string, results: Results): Results {
  mkdirSync(dir, { recursive: true });
  const previous = readResults(dir, results.mode);
  const merged: Results = previous
    ? {
        ...results,
        // A run that seeded nothing (R5, R6 make their own databases) keeps the last seed's record.
        seed: Object.keys(results.seed.seconds).length === 0 ? previous.seed : results.seed,
        runs: [...previous.runs, ...results.runs].slice(-10),
        targets: [
          ...previous.targets.filter((t) => !results.targets.some((n) => n.id === t.id)),
          ...results.targets,
        ],
      }
    : results;
  const order = (id: string) => Number(id.replace(/\D/g, ""));
  merged.targets.sort((a, b) => order(a.id) - order(b.id));
  writeFileSync(resultsFile(dir, results.mode), `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
