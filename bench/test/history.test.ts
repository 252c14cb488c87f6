import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commitOf } from "../src/git.js";
import { appendHistory, headline, historyEntryOf, readHistory, renderHistory } from "../src/history.js";
import type { TargetRecord } from "../src/results.js";
import type { Measurement } from "../src/targets/types.js";

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `jobdeck-bench-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const figure = (label: string, median: number, extra: Partial<Measurement> = {}): Measurement => ({
  label,
  unit: "×",
  value: { median, min: median, max: median, q1: median, q3: median, n: 5 },
  goal: { op: ">=", value: 0.5 },
  isMet: median >= 0.5,
  command: "",
  ...extra,
});

const record = (id: string, measuredAt: string, measurements: Measurement[]): TargetRecord => ({
  id,
  title: id,
  goal: "",
  status: "met",
  measurements,
  notes: [],
  measuredAt,
  seconds: 10,
  loadAverage: [1.5, 2],
});

describe("the history of figures", () => {
  it("appends each run's figures once, and shows each target's newest commits first", () => {
    const dir = tempDir("history");
    const older = record("R1", "2026-12-01T10:00:00.000Z", [
      figure("SQLite · page 1: jobdeck ÷ raw-sqlite", 0.64, { provider: "sqlite", short: "page 1" }),
    ]);
    const newer = record("R1", "2026-12-05T04:00:00.000Z", [
      figure("SQLite · page 1: jobdeck ÷ raw-sqlite", 0.41, { provider: "sqlite", short: "page 1" }),
      figure("SQLite · deep cursors: jobdeck ÷ raw-sqlite", 0.58, {
        provider: "sqlite",
        short: "deep cursors",
      }),
    ]);
    appendHistory(dir, [historyEntryOf("quick", older, { hash: "aaaaaaa", isInferred: true })]);
    appendHistory(dir, [historyEntryOf("quick", newer, { hash: "bbbbbbb", isDirty: true })]);
    // The same record again (a report rewritten, a seed rerun) adds nothing.
    appendHistory(dir, [historyEntryOf("quick", newer, { hash: "bbbbbbb", isDirty: true })]);
    const history = readHistory(dir);
    expect(history.entries.map((e) => [e.id, e.commit.hash])).toEqual([
      ["R1", "aaaaaaa"],
      ["R1", "bbbbbbb"],
    ]);
    // One entry a line, so that a run's append is a few added lines in a diff.
    expect(readFileSync(join(dir, "history.json"), "utf8").split("\n")).toHaveLength(5);

    const table = renderHistory(history).join("\n");
    expect(table).toContain("### quick runs");
    const row = table.split("\n").find((line) => line.startsWith("| R1 |"))!;
    expect(row).toBe(
      "| R1 | SQLite page 1: 0.41× ❌; SQLite deep cursors: 0.58× ✅<br>`bbbbbbb` dirty 2026-12-05 04:00, load 1.5 | SQLite page 1: 0.64× ✅<br>`aaaaaaa`* 2026-12-01 10:00, load 1.5 |  |  |  |  |",
    );
  });

  it("shows many alike figures as their worst, and leaves controls out", () => {
    const cases = [1.05, 1.19, 1.31].map((median, i) =>
      figure(`PostgreSQL · keyset · case ${i}`, median, {
        provider: "postgresql",
        goal: { op: "<=", value: 1.2 },
        isMet: median <= 1.2,
      }),
    );
    const control = figure("PostgreSQL · OFFSET control", 4, { provider: "postgresql", isControl: true });
    const entry = historyEntryOf("full", record("R3", "2026-12-05T04:00:00.000Z", [...cases, control]), {
      hash: "ccccccc",
      isDirty: false,
    });
    expect(headline(entry.figures)).toBe("PG worst of 3: 1.31× ❌ (2/3 met)");
  });
});

describe("the commit a figure is measured at", () => {
  const git = (dir: string, ...args: string[]) => {
    const run = spawnSync("git", ["-C", dir, ...args], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.trim();
  };

  it("is HEAD's short hash, dirty only when tracked code differs from it (not the bench's own outputs)", () => {
    const dir = tempDir("git");
    git(dir, "init", "-q");
    mkdirSync(join(dir, "bench/results"), { recursive: true });
    writeFileSync(join(dir, "code.ts"), "export const a = 1;\n");
    writeFileSync(join(dir, "BENCHMARKS.md"), "# old\n");
    writeFileSync(join(dir, "bench/results/quick.json"), "{}\n");
    git(dir, "add", "-A");
    git(dir, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "first");
    const head = git(dir, "rev-parse", "--short=7", "HEAD");

    expect(commitOf(dir)).toEqual({ hash: head, isDirty: false });
    writeFileSync(join(dir, "BENCHMARKS.md"), "# regenerated\n");
    writeFileSync(join(dir, "bench/results/quick.json"), '{"new":true}\n');
    writeFileSync(join(dir, "untracked.txt"), "scratch\n");
    expect(commitOf(dir)).toEqual({ hash: head, isDirty: false });
    writeFileSync(join(dir, "code.ts"), "export const a = 2;\n");
    expect(commitOf(dir)).toEqual({ hash: head, isDirty: true });
    expect(commitOf(tempDir("not-git")).hash).toBe("unknown");
  });
});
