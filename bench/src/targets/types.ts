import type { BenchContext } from "../context.js";
import type { Provider } from "../databases.js";
import type { Spread } from "../stats.js";

/** One figure of a target: a ratio (or size) with its spread over rounds, and how to reproduce it. */
export type Measurement = {
  label: string;
  /** What tells it apart from the target's other figures on the same database, for the summary and history ("page 1"). */
  short?: string;
  provider?: Provider;
  unit: "×" | "MB" | "kB" | "%" | "ms" | "req/s" | "rows" | "rows/s";
  value: Spread;
  goal?: { op: "<=" | ">="; value: number };
  isMet?: boolean;
  /** A control (R3's OFFSET): shows the measurement can see the effect; not a target of jobdeck's. */
  isControl?: boolean;
  /** Per-round raw numbers, keyed by what they are (e.g. "jobdeck req/s"). */
  rounds?: Record<string, number[]>;
  /** Secondary figures worth a table column (CPU per request, p99…). */
  extra?: Record<string, number | string>;
  command: string;
};

export type TargetResult = {
  id: string;
  title: string;
  goal: string;
  status: "met" | "missed" | "partly met" | "not measured";
  measurements: Measurement[];
  /** Series for charts that are not plain ratios (R9's RSS over time). */
  series?: { label: string; points: [number, number][] }[];
  notes: string[];
};

/** A benchmark target, registered in bench/src/targets/index.ts. */
export type Target = {
  id: string;
  title: string;
  goal: string;
  /** Why it cannot run in this checkout, or undefined when it can. */
  unavailable(ctx: BenchContext): string | undefined;
  providers: Provider[];
  run(ctx: BenchContext): Promise<TargetResult>;
};

export function statusOf(measurements: Measurement[]): TargetResult["status"] {
  const judged = measurements.filter((m) => m.isMet !== undefined && !m.isControl);
  if (judged.length === 0) return "not measured";
  if (judged.every((m) => m.isMet)) return "met";
  if (judged.some((m) => m.isMet)) return "partly met";
  return "missed";
}

export const meets = (value: number, goal: { op: "<=" | ">="; value: number }) =>
  goal.op === "<=" ? value <= goal.value : value >= goal.value;
