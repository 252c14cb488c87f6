import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readResults, writeResults, type Results, type TargetRecord } from "../src/results.js";

const dir = mkdtempSync(join(tmpdir(), "jobdeck-bench-results-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const target = (id: string, label: string): TargetRecord => ({
  id,
  title: id,
  goal: "",
  status: "met",
  measurements: [
    { label, unit: "×", value: { median: 1, min: 1, max: 1, q1: 1, q3: 1, n: 1 }, command: `--only ${id}` },
  ],
  notes: [],
  measuredAt: "2026-12-04T00:00:00.000Z",
  seconds: 1,
  loadAverage: [0, 0],
});

const run = (targets: TargetRecord[], seeded: boolean): Results => ({
  schema: "jobdeck-bench/1",
  mode: "quick",
  machine: { cpuModel: "x", cpus: 2, memoryGb: 4, node: "v20", postgres: undefined, pinning: "" },
  seed: {
    rows: 1,
    users: 1,
    heavyUsers: [],
    deepRows: 1,
    seconds: seeded ? { sqlite: 1 } : {},
    note: seeded ? "new" : "none",
  },
  server: { env: {}, main: "" },
  runs: [{ startedAt: "", finishedAt: "", seconds: 1, command: "", loadAverage: [] }],
  targets,
});

describe("a run of some targets (--only)", () => {
  it("replaces those targets in the mode's results file and keeps every other one", () => {
    writeResults(dir, run([target("R1", "old R1"), target("R3", "old R3"), target("R14", "old R14")], true));
    writeResults(dir, run([target("R16", "new R16"), target("R3", "new R3")], false));
    const merged = readResults(dir, "quick")!;
    expect(merged.targets.map((t) => [t.id, t.measurements[0]!.label])).toEqual([
      ["R1", "old R1"],
      ["R3", "new R3"],
      ["R14", "old R14"],
      ["R16", "new R16"],
    ]);
    // It seeded nothing: the last seed's record stays.
    expect(merged.seed.note).toBe("new");
    expect(merged.runs).toHaveLength(2);
  });
});
