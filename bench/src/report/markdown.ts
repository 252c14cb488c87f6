import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { stampText } from "../git.js";
import { readHistory, renderHistory, type History } from "../history.js";
import { benchRoot, repoRoot } from "../paths.js";
import { readResults, type Results, type TargetRecord } from "../results.js";
import type { Measurement } from "../targets/types.js";
import { lineChart, ratioChart } from "./svg.js";

/**
 * BENCHMARKS.md from the results files: a summary of every target in the full and the quick run,
 * then each target's method, chart, table and command. The findings (profiles, optimisations,
 * what would close a gap) are written by people in bench/ANALYSIS.md and included as they are.
 */

const fmt = (value: number, unit: string) => {
  if (!Number.isFinite(value)) return "—";
  if (unit === "rows" || unit === "rows/s")
    return `${value.toLocaleString("en", { maximumFractionDigits: 0 })} ${unit}`;
  const digits = unit === "×" ? (value >= 10 ? 1 : 2) : 1;
  return `${value.toFixed(digits)}${unit === "×" ? "×" : unit === "%" ? " %" : ` ${unit}`}`;
};

function figure(m: Measurement): string {
  const main = fmt(m.value.median, m.unit);
  const range = m.value.n > 1 ? ` (${fmt(m.value.min, m.unit)}–${fmt(m.value.max, m.unit)})` : "";
  const mark = m.isMet === undefined ? "" : m.isMet ? " ✅" : " ❌";
  return `${main}${range}${mark}`;
}

/** One line per target for the summary: each measurement, or the worst of many (R3). */
function summaryCell(target: TargetRecord | undefined): string {
  if (!target) return "not run";
  if (target.error) return `failed: ${target.error.split("\n")[0]!.slice(0, 120)}`;
  if (target.unavailable) return `not measured: ${target.unavailable}`;
  if (target.id === "R3") {
    const keyset = target.measurements.filter((m) => m.label.includes("keyset"));
    const offset = target.measurements.filter((m) => m.label.includes("OFFSET"));
    const worst = keyset.reduce<Measurement | undefined>(
      (w, m) => (!w || m.value.median > w.value.median ? m : w),
      undefined,
    );
    const least = offset.reduce<Measurement | undefined>(
      (w, m) => (!w || m.value.median < w.value.median ? m : w),
      undefined,
    );
    const met = keyset.filter((m) => m.isMet).length;
    return [
      worst ? `keyset worst of ${keyset.length}: ${figure(worst)} (${met}/${keyset.length} met)` : "",
      least
        ? `OFFSET control (not a target of jobdeck's): least of ${offset.length} ${figure(least)}, most ${fmt(Math.max(...offset.map((m) => m.value.median)), "×")}`
        : "",
    ]
      .filter(Boolean)
      .join("; ");
  }
  if (target.id === "R15") {
    // Per database, the worst of each kind of ratio: deep ÷ page 1, and filtered ÷ unfiltered.
    const providers = [...new Set(target.measurements.map((m) => m.provider))];
    return providers
      .flatMap((provider) => {
        const mine = target.measurements.filter((m) => m.provider === provider);
        const name = provider === "postgresql" ? "PG" : "SQLite";
        const kinds: [string, Measurement[]][] = [
          ["deep ÷ page 1", mine.filter((m) => m.label.endsWith("deep ÷ page 1"))],
          ["filtered ÷ unfiltered", mine.filter((m) => m.label.includes("÷ unfiltered"))],
        ];
        return kinds.map(([what, list]) => {
          const worst = list.reduce((w, m) => (m.value.median > w.value.median ? m : w), list[0]!);
          return `${name} ${what} worst of ${list.length}: ${figure(worst)} (${list.filter((m) => m.isMet).length}/${list.length} met)`;
        });
      })
      .join("; ");
  }
  if (target.id === "R16" || target.id === "R18")
    return target.measurements
      .map((m) => `${m.label.replace("PostgreSQL", "PG").replace(/ \(`.*`\)$/, "")}: ${figure(m)}`)
      .join("; ");
  return target.measurements
    .map(
      (m) =>
        `${m.provider === "postgresql" ? "PG" : m.provider === "sqlite" ? "SQLite" : m.label}${m.short ? ` ${m.short}` : ""}: ${figure(m)}`,
    )
    .join("; ");
}

/**
 * How long the mode takes, from its records: every target's latest time plus the latest seeding,
 * and the wall time of the last run without `--only`, if one is still among the runs kept.
 */
export function modeTime(results: Results): {
  targetSeconds: number;
  seedSeconds: number;
  wholeRun?: number;
} {
  const targetSeconds = results.targets.reduce((sum, t) => sum + t.seconds, 0);
  const seedSeconds =
    results.seed.wallSeconds ?? Object.values(results.seed.seconds).reduce((sum, s) => sum + s, 0);
  const whole = results.runs.filter((r) => !r.command.includes("--only")).at(-1);
  return {
    targetSeconds,
    seedSeconds: Math.round(seedSeconds),
    ...(whole ? { wholeRun: whole.seconds } : {}),
  };
}

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;

function chartsFor(target: TargetRecord, results: Results, chartsDir: string, mdDir: string): string[] {
  if (target.measurements.length === 0) return [];
  mkdirSync(chartsDir, { recursive: true });
  const write = (name: string, svg: string) => {
    const file = join(chartsDir, `${results.mode}-${name}.svg`);
    writeFileSync(file, `${svg}\n`);
    return `![${target.id}](${relative(mdDir, file)})`;
  };
  const images: string[] = [];
  const ratioRows = (list: Measurement[]) =>
    list.map((m) => ({
      label: m.label
        .replace(/^(SQLite|PostgreSQL) · /, "$1 · ")
        .replace("keyset · ", "")
        .replace("OFFSET control · ", "OFFSET · "),
      values: m.rounds?.ratio ?? ratioValues(m),
      median: m.value.median,
      q1: m.value.q1,
      q3: m.value.q3,
      isMet: m.isMet,
    }));
  const ratios = target.measurements.filter((m) => m.unit === "×");
  if (target.id === "R3") {
    images.push(
      write(
        "r3",
        ratioChart({
          title: `R3 (${results.mode}): deep page ÷ page 1 latency`,
          rows: ratioRows(ratios),
          goals: [
            { value: 1.2, label: "keyset ≤ 1.2×" },
            { value: 10, label: "OFFSET ≥ 10×" },
          ],
          scale: "log",
        }),
      ),
    );
  } else if (ratios.length > 0) {
    const goal = ratios[0]!.goal;
    images.push(
      write(
        target.id.toLowerCase(),
        ratioChart({
          title: `${target.id} (${results.mode}): jobdeck ÷ baseline, per A/B pair`,
          rows: ratioRows(ratios),
          goals:
            target.id === "R15"
              ? [
                  { value: 1.2, label: "deep ≤ 1.2×" },
                  { value: 2, label: "filtered ≤ 2×" },
                ]
              : goal
                ? [{ value: goal.value, label: `target ${goal.op === ">=" ? "≥" : "≤"} ${goal.value}×` }]
                : [],
          scale: "linear",
        }),
      ),
    );
  }
  if (target.series && target.series.length > 0) {
    const growth = target.measurements.find((m) => m.unit === "%");
    const window = /(\d+) s →/.exec(growth?.label ?? "")?.[1];
    images.push(
      write(
        `${target.id.toLowerCase()}-rss`,
        lineChart({
          title:
            target.id === "R18"
              ? `${target.id} (${results.mode}): jobdeck RSS during the export`
              : `${target.id} (${results.mode}): jobdeck RSS under mixed load`,
          series: target.series,
          xLabel: target.id === "R18" ? "seconds of the export" : "seconds of load",
          yLabel: "RSS (MB)",
          marks: window ? [{ x: Number(window), label: "end of first window" }] : [],
        }),
      ),
    );
  }
  return images;
}

/** Per-round ratio of a throughput comparison, from its two req/s series. */
function ratioValues(m: Measurement): number[] {
  const keys = Object.keys(m.rounds ?? {}).filter((k) => k.endsWith("req/s"));
  if (keys.length !== 2) return [m.value.median];
  const [a, b] = keys.map((k) => m.rounds![k]!);
  return a!.map((v, i) => v / b![i]!);
}

function measurementTable(target: TargetRecord): string[] {
  if (target.measurements.length === 0) return [];
  const extras = [...new Set(target.measurements.flatMap((m) => Object.keys(m.extra ?? {})))];
  const lines = [
    `| measurement | median | IQR | min–max | n | target | met | ${extras.join(" | ")}${extras.length ? " |" : ""}`,
    `|---|---|---|---|---|---|---|${extras.map(() => "---|").join("")}`,
  ];
  for (const m of target.measurements) {
    const goal = m.goal
      ? `${m.goal.op === ">=" ? "≥" : "≤"} ${m.goal.value}${m.unit === "×" ? "×" : ` ${m.unit}`}`
      : "";
    lines.push(
      `| ${m.label} | **${fmt(m.value.median, m.unit)}** | ${m.value.n > 1 ? `${fmt(m.value.q1, m.unit)}–${fmt(m.value.q3, m.unit)}` : "—"} | ${m.value.n > 1 ? `${fmt(m.value.min, m.unit)}–${fmt(m.value.max, m.unit)}` : "—"} | ${m.value.n} | ${goal} | ${m.isMet === undefined ? "" : m.isMet ? "✅" : "❌"} | ${extras.map((k) => String(m.extra?.[k] ?? "")).join(" | ")}${extras.length ? " |" : ""}`,
    );
  }
  return lines;
}

function roundsTable(target: TargetRecord): string[] {
  const withRounds = target.measurements.filter((m) => m.rounds && target.id !== "R3");
  const lines: string[] = [];
  for (const m of withRounds) {
    const keys = Object.keys(m.rounds!);
    const n = Math.max(...keys.map((k) => m.rounds![k]!.length));
    lines.push(
      "",
      `<details><summary>${m.label}: every round</summary>`,
      "",
      `| round | ${keys.join(" | ")} |`,
      `|---|${keys.map(() => "---|").join("")}`,
      ...Array.from(
        { length: n },
        (_, i) => `| ${i + 1} | ${keys.map((k) => String(m.rounds![k]![i] ?? "")).join(" | ")} |`,
      ),
      "",
      "</details>",
    );
  }
  return lines;
}

/** A record older than the commit stamp: the commit the history inferred for it, if any. */
const commitFromHistory = (history: History, mode: Results["mode"], target: TargetRecord) =>
  history.entries.find((e) => e.mode === mode && e.id === target.id && e.measuredAt === target.measuredAt)
    ?.commit;

function timeLines(results: Results): string[] {
  const { targetSeconds, seedSeconds, wholeRun } = modeTime(results);
  const limit = results.mode === "quick" ? 10 : results.mode === "full" ? 60 : undefined;
  return [
    `- Time: the latest ${results.mode} measurements of the ${results.targets.length} targets recorded took ${targetSeconds} s in all${seedSeconds > 0 ? `, and seeding ${seedSeconds} s` : " (seeding not recorded)"}: **${minutes(targetSeconds + seedSeconds)}** for the whole ${results.mode} run${limit ? ` (the issue's limit: ${limit} min)` : ""}${wholeRun ? `; the last run without \`--only\` took ${minutes(wholeRun)} from start to end` : ""}. Each target's own time is in its section below.`,
  ];
}

function runSection(results: Results, chartsDir: string, mdDir: string, history: History): string[] {
  const lines: string[] = [];
  lines.push(
    `### The ${results.mode} run`,
    "",
    `- Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, Node ${results.machine.node}, PostgreSQL ${results.machine.postgres ?? "—"}; ${results.machine.pinning}. The machine is shared with other engineers' builds and tests: absolute figures are noisy, ratios of contenders run alternately are what count.`,
    `- Seed: ${results.seed.note}. Seeding took ${
      Object.entries(results.seed.seconds)
        .map(([p, s]) => `${s} s on ${p}`)
        .join(", ") || "— (reused)"
    }${results.seed.wallSeconds === undefined ? "" : `, side by side: ${results.seed.wallSeconds} s in all`}.`,
    `- jobdeck's environment: ${Object.entries(results.server.env)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(", ")} (plus a fresh database URL, \`PORT=0\`, an HS256 \`JWT_SECRET\`).`,
    ...results.runs.map(
      (run) =>
        `- Run \`${run.command}\`${run.commit ? ` at \`${stampText(run.commit)}\`` : ""}: ${run.startedAt.slice(0, 16).replace("T", " ")} UTC, ${Math.round(run.seconds / 60)} min; load average (1, 5, 15 min) before ${run.loadAverage[0]?.join(", ")}, after ${run.loadAverage.at(-1)?.join(", ")}.`,
    ),
    ...timeLines(results),
    "",
  );
  for (const target of results.targets) {
    lines.push(
      `#### ${target.id} — ${target.title}`,
      "",
      `Target: ${target.goal}. Status: **${target.status}**. Measured at commit \`${stampText(target.commit ?? commitFromHistory(history, results.mode, target))}\`, ${target.measuredAt.slice(0, 16).replace("T", " ")} UTC, in ${target.seconds} s; 1-min load average ${target.loadAverage.map((l) => l.toFixed(2)).join(" → ")}.`,
      "",
    );
    if (target.error) lines.push(`Failed: \`${target.error.split("\n")[0]}\``, "");
    if (target.unavailable) lines.push(`Not measured: ${target.unavailable}.`, "");
    for (const note of target.notes) lines.push(`- ${note}`);
    if (target.notes.length) lines.push("");
    for (const image of chartsFor(target, results, chartsDir, mdDir)) lines.push(image, "");
    lines.push(...measurementTable(target));
    lines.push(...roundsTable(target));
    const commands = [...new Set(target.measurements.map((m) => m.command))];
    if (commands.length) lines.push("", `Reproduce: ${commands.map((c) => `\`${c}\``).join(", ")}`);
    lines.push("");
  }
  return lines;
}

export function writeReport(outDir: string, isRepoResults: boolean): string {
  const mdFile = isRepoResults ? join(repoRoot, "BENCHMARKS.md") : join(outDir, "BENCHMARKS.md");
  const chartsDir = join(outDir, "charts");
  const modes = (isRepoResults ? (["full", "quick"] as const) : (["full", "quick", "smoke"] as const))
    .map((m) => readResults(outDir, m))
    .filter((r): r is Results => r !== undefined);
  const ids = [...new Set(modes.flatMap((r) => r.targets.map((t) => t.id)))].sort(
    // R7′ sorts after R7: the number first, then the rest of the id.
    (a, b) => Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, "")) || a.localeCompare(b),
  );
  const lines: string[] = [
    "# jobdeck benchmarks",
    "",
    `<!-- Generated by \`npm run bench\` (bench/src/report/markdown.ts) from ${relative(dirname(mdFile), outDir)}/*.json and bench/ANALYSIS.md. Do not edit by hand. -->`,
    "",
    "Every figure is a ratio of two contenders run alternately on the same machine, the server pinned to one core and the load generator (autocannon) to the other, so that the noise of a shared machine cancels out; the median over the rounds is shown with its min–max spread. `npm run bench` is the full run (under an hour); `npm run bench -- --quick` runs every target in under 10 minutes with shorter runs and a smaller seed (each run section below says how long it took); `--only R1,R3` runs some.",
    "",
    "## Summary",
    "",
    `| | measure | target | ${modes.map((r) => `${r.mode} run`).join(" | ")} |`,
    `|---|---|---|${modes.map(() => "---|").join("")}`,
  ];
  for (const id of ids) {
    const any = modes.flatMap((r) => r.targets).find((t) => t.id === id)!;
    lines.push(
      `| ${id} | ${any.title} | ${any.goal} | ${modes.map((r) => summaryCell(r.targets.find((t) => t.id === id))).join(" | ")} |`,
    );
  }
  lines.push("");
  const history = readHistory(outDir);
  if (history.entries.length > 0)
    lines.push(
      "## History",
      "",
      "Each target's judged figures (medians; many alike shown as their worst) at the last commits it was measured at, newest first, with the commit, the time (UTC) and the 1-minute load average when it started: a regression shows as a change along a row. `dirty`: the tracked code differed from the commit; `*`: a figure recorded before the bench stamped commits (its commit is the newest one authored before the measurement). Every figure of every run is in `bench/results/history.json`.",
      "",
      ...renderHistory(history),
    );
  const analysis = join(benchRoot, "ANALYSIS.md");
  if (isRepoResults && existsSync(analysis)) lines.push(readFileSync(analysis, "utf8").trim(), "");
  lines.push(
    "## Method",
    "",
    "- **Contenders.** jobdeck is the built server as it ships. The baselines are what a careful engineer would write by hand to answer the same request with the same bytes: `node:http`, one prepared statement, a hand-checked HS256 token, `JSON.stringify`. They are the practical physical limit for Node on this hardware, not a straw man: they skip nothing the answer needs, only what a framework adds.",
    "- **Alternation.** For each comparison both servers run side by side (idle one idle), each is warmed up, then runs alternate A B A B …; the ratio of each pair is one sample; the median and the min–max (and IQR) of the samples are reported. CPU time per request (from `/proc`) is recorded beside req/s: it is the figure least disturbed by other processes on the machine.",
    "- **Pinning.** `taskset -c 0` for the server under test, `taskset -c 1` for autocannon and the latency client. PostgreSQL's own processes are not pinned (the server is shared); they run wherever the scheduler puts them.",
    "- **Correctness first.** Before timing, the bench checks that jobdeck and the baseline answer the same request with the same JSON (R1, R2, R4), and that every deep cursor lands on the row it should (R3).",
    "- **Extension points.** Targets live in `bench/src/targets/` (registered in `index.ts`), processes under load in `bench/src/contenders.ts`. Targets not implemented yet are registered and report what they wait for.",
    "",
  );
  for (const results of modes) lines.push(...runSection(results, chartsDir, dirname(mdFile), history));
  const text = `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
  writeFileSync(mdFile, text);
  return mdFile;
}
