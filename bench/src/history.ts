import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stampText, type CommitStamp } from "./git.js";
import type { Mode } from "./modes.js";
import type { TargetRecord } from "./results.js";
import type { Measurement } from "./targets/types.js";

/**
 * Every figure every run has measured, never overwritten (the results files keep only each target's
 * latest): bench/results/history.json, one entry per target per run, appended. BENCHMARKS.md renders
 * it as a table of targets × commits, so a regression shows as a change along a row.
 */

export const HISTORY_SCHEMA = "jobdeck-bench-history/1";

export type HistoryFigure = {
  label: string;
  short?: string;
  provider?: Measurement["provider"];
  unit: Measurement["unit"];
  median: number;
  min: number;
  max: number;
  n: number;
  goal?: Measurement["goal"];
  isMet?: boolean;
  isControl?: boolean;
};

export type HistoryEntry = {
  mode: Mode["name"];
  id: string;
  measuredAt: string;
  commit: CommitStamp;
  status: TargetRecord["status"];
  seconds: number;
  loadAverage: [number, number];
  figures: HistoryFigure[];
};

export type History = { schema: typeof HISTORY_SCHEMA; entries: HistoryEntry[] };

export const historyFile = (dir: string) => join(dir, "history.json");

export function readHistory(dir: string): History {
  const file = historyFile(dir);
  if (!existsSync(file)) return { schema: HISTORY_SCHEMA, entries: [] };
  const parsed = JSON.parse(readFileSync(file, "utf8")) as History;
  return parsed.schema === HISTORY_SCHEMA ? parsed : { schema: HISTORY_SCHEMA, entries: [] };
}

export function historyEntryOf(mode: Mode["name"], target: TargetRecord, commit: CommitStamp): HistoryEntry {
  return {
    mode,
    id: target.id,
    measuredAt: target.measuredAt,
    commit,
    status: target.status,
    seconds: target.seconds,
    loadAverage: target.loadAverage,
    figures: target.measurements.map((m) => ({
      label: m.label,
      ...(m.short ? { short: m.short } : {}),
      ...(m.provider ? { provider: m.provider } : {}),
      unit: m.unit,
      median: m.value.median,
      min: m.value.min,
      max: m.value.max,
      n: m.value.n,
      ...(m.goal ? { goal: m.goal } : {}),
      ...(m.isMet === undefined ? {} : { isMet: m.isMet }),
      ...(m.isControl ? { isControl: true } : {}),
    })),
  };
}

/**
 * Appends entries (a target measured again at the same time is not added twice) and keeps them in
 * the order they were measured.
 */
export function appendHistory(dir: string, entries: HistoryEntry[]): History {
  mkdirSync(dir, { recursive: true });
  const history = readHistory(dir);
  const seen = new Set(history.entries.map((e) => `${e.mode} ${e.id} ${e.measuredAt}`));
  for (const entry of entries)
    if (!seen.has(`${entry.mode} ${entry.id} ${entry.measuredAt}`)) history.entries.push(entry);
  history.entries.sort((a, b) => a.measuredAt.localeCompare(b.measuredAt));
  // One entry a line: appends diff as added lines.
  const body = history.entries.map((e) => JSON.stringify(e)).join(",\n");
  writeFileSync(historyFile(dir), `{"schema":"${HISTORY_SCHEMA}","entries":[\n${body}\n]}\n`);
  return history;
}

const number = (value: number, unit: string) => {
  if (!Number.isFinite(value)) return "—";
  if (unit === "rows" || unit === "rows/s" || unit === "req/s")
    return `${value.toLocaleString("en", { maximumFractionDigits: 0 })} ${unit}`;
  const digits = unit === "×" ? (value >= 10 ? 1 : 2) : 1;
  return `${value.toFixed(digits)}${unit === "×" ? "×" : unit === "%" ? " %" : ` ${unit}`}`;
};
const mark = (f: HistoryFigure) => (f.isMet === undefined ? "" : f.isMet ? " ✅" : " ❌");
const providerName = (f: HistoryFigure) =>
  f.provider === "postgresql" ? "PG" : f.provider === "sqlite" ? "SQLite" : "";

/** A figure's name in a table cell: its database and what sets it apart, in a few words. */
function nameOf(f: HistoryFigure): string {
  const rest =
    f.short ??
    f.label
      .replace(/^(SQLite|PostgreSQL)( ·|:|,)?\s*/, "")
      .replace(/\s*\([^)]*\)/g, "")
      .replace(/jobdeck ÷ (raw-sqlite|raw-postgres|graphile-worker)(, )?/, "")
      .replace(/`/g, "")
      .trim();
  const short = rest.length > 44 ? `${rest.slice(0, 43)}…` : rest;
  return [providerName(f), short].filter(Boolean).join(" ");
}

/** How far a figure is from its goal, larger is worse: for picking the worst of many alike. */
const badness = (f: HistoryFigure) =>
  !f.goal ? 0 : f.goal.op === ">=" ? f.goal.value / f.median : f.median / Math.max(f.goal.value, 1e-9);

/**
 * A target's figures in one cell: every judged figure (a goal, not a control), except that more than
 * two alike (same database, unit and kind, e.g. R3's twelve keyset cases) show as their worst.
 */
export function headline(figures: HistoryFigure[]): string {
  const judged = figures.filter((f) => f.goal && !f.isControl);
  const groups = new Map<string, HistoryFigure[]>();
  for (const f of judged) {
    const key = `${f.provider ?? ""} ${f.unit} ${f.short ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const parts: string[] = [];
  for (const group of groups.values()) {
    if (group.length <= 2) {
      for (const f of group) parts.push(`${nameOf(f)}: ${number(f.median, f.unit)}${mark(f)}`);
      continue;
    }
    const worst = group.reduce((w, f) => (badness(f) > badness(w) ? f : w));
    const met = group.filter((f) => f.isMet).length;
    parts.push(
      `${providerName(worst)} worst of ${group.length}: ${number(worst.median, worst.unit)}${mark(worst)} (${met}/${group.length} met)`.trim(),
    );
  }
  return parts.join("; ") || "—";
}

/** R1 … R18 in number order, R7′ after R7. */
const byTargetId = (a: string, b: string) =>
  Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, "")) || a.localeCompare(b);

/**
 * The history as tables, one per mode: a row per target and its figures at the newest `columns`
 * commits it was measured at, newest first (the latest measurement at each commit), each with its
 * commit and date. Targets are measured at different commits when a run covers only some of them
 * (`--only`), so the columns are each target's own past rather than one commit across the table.
 */
export function renderHistory(history: History, columns = 6): string[] {
  const lines: string[] = [];
  for (const mode of ["full", "quick", "smoke"] as const) {
    const entries = history.entries.filter((e) => e.mode === mode);
    if (entries.length === 0) continue;
    const ids = [...new Set(entries.map((e) => e.id))].sort(byTargetId);
    const ordinal = (i: number) => (i === 0 ? "newest" : `${i + 1}${["", "nd", "rd"][i] ?? "th"} newest`);
    lines.push(
      `### ${mode} runs`,
      "",
      `| | ${Array.from({ length: columns }, (_, i) => ordinal(i)).join(" | ")} |`,
      `|---|${Array.from({ length: columns }, () => "---|").join("")}`,
    );
    for (const id of ids) {
      const newestFirst = entries
        .filter((e) => e.id === id)
        .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
      const perCommit: HistoryEntry[] = [];
      for (const e of newestFirst)
        if (!perCommit.some((p) => stampText(p.commit) === stampText(e.commit))) perCommit.push(e);
      const cells = Array.from({ length: columns }, (_, i) => {
        const e = perCommit[i];
        if (!e) return "";
        const stamp = `\`${e.commit.hash}\`${e.commit.isDirty ? " dirty" : ""}${e.commit.isInferred ? "*" : ""}`;
        return `${headline(e.figures)}<br>${stamp} ${e.measuredAt.slice(0, 16).replace("T", " ")}, load ${e.loadAverage[0].toFixed(1)}`;
      });
      lines.push(`| ${id} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  return lines;
}
