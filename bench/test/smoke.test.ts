import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM } from "../src/dashboard/browser.js";
import { isPostgresReachable } from "../src/databases.js";
import { readHistory } from "../src/history.js";
import { benchDist, repoRoot } from "../src/paths.js";
import type { Results } from "../src/results.js";
import { rowsPerUser } from "../src/seed/plan.js";
import { generateRows } from "../src/seed/generate.js";
import { spread } from "../src/stats.js";

/**
 * The benchmark in miniature, so it cannot rot: a tiny seed on SQLite and PostgreSQL, one short
 * run of every implemented target, and a check that the results and BENCHMARKS.md are well formed.
 * It asserts that the harness runs — never a timing.
 */
const out = mkdtempSync(join(tmpdir(), "jobdeck-bench-smoke-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the seeder", () => {
  it("gives every user at least one job and exactly the planned total", () => {
    const plan = { totalRows: 5_000, users: 50, heavy: [1_000, 500], deepRows: 100 };
    const counts = rowsPerUser(plan);
    expect(counts).toHaveLength(50);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5_000);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(counts.slice(0, 2)).toEqual([1_000, 500]);
  });

  it("writes rows oldest first, with valid ids, statuses and timestamps", () => {
    const rows = [...generateRows({ totalRows: 2_000, users: 10, heavy: [500], deepRows: 10 })];
    expect(rows).toHaveLength(2_000);
    for (const [i, row] of rows.entries()) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(["pending", "running", "completed", "failed", "cancelled"]).toContain(row.status);
      expect(row.updatedAt).toBeGreaterThanOrEqual(row.createdAt);
      if (i > 0) expect(row.createdAt).toBeGreaterThanOrEqual(rows[i - 1]!.createdAt);
      expect(() => JSON.parse(row.payload) as unknown).not.toThrow();
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it("computes spreads", () => {
    expect(spread([3, 1, 2, 4])).toMatchObject({ median: 2.5, min: 1, max: 4, n: 4 });
  });
});

describe("npm run bench -- --smoke", () => {
  it("runs every implemented target on both databases and writes well-formed results", async () => {
    const hasPostgres = await isPostgresReachable();
    const hasChromium = existsSync(CHROMIUM);
    const run = spawnSync(process.execPath, [join(benchDist, "src/cli.js"), "--smoke", "--out", out], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env },
      timeout: 290_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    const results = JSON.parse(readFileSync(join(out, "smoke.json"), "utf8")) as Results;
    expect(results.schema).toBe("jobdeck-bench/1");
    expect(results.mode).toBe("smoke");
    expect(results.targets.map((t) => t.id)).toEqual([
      "R1",
      "R2",
      "R3",
      "R4",
      "R5",
      "R6",
      "R7",
      "R7′",
      "R8",
      "R9",
      "R10",
      "R11",
      "R12",
      "R13",
      "R14",
      "R15",
      "R16",
      "R17",
      "R18",
    ]);
    const providers = hasPostgres ? ["sqlite", "postgresql"] : ["sqlite"];
    for (const target of results.targets) {
      expect(target.error, `${target.id} failed: ${target.error}`).toBeUndefined();
      // The dashboard targets need Debian's Chromium, which e2e/ensure-chromium.mjs installs.
      if (["R7", "R7′", "R8"].includes(target.id) && !hasChromium) {
        expect(target.unavailable).toMatch(/chromium/);
        continue;
      }
      if (["R2", "R5", "R10", "R11"].includes(target.id) && !hasPostgres) continue;
      expect(target.measurements.length).toBeGreaterThan(0);
      for (const m of target.measurements) {
        expect(Number.isFinite(m.value.median)).toBe(true);
        expect(m.value.min).toBeLessThanOrEqual(m.value.max);
        expect(m.command).toMatch(/^npm run bench -- --smoke --only R\d+′?$/);
        // A figure with a goal is judged; one without (R16's and R18's rows/s) is reported only.
        expect(typeof m.isMet).toBe(m.goal ? "boolean" : "undefined");
      }
      expect(target.measurements.some((m) => typeof m.isMet === "boolean")).toBe(true);
      const covered = new Set(target.measurements.map((m) => m.provider));
      // R3, R4, R6, R9, R12, R13 and R15–R18 run on every database; R5, R10 and R11 measure on PostgreSQL only.
      if (["R3", "R4", "R6", "R9", "R12", "R13", "R15", "R16", "R17", "R18"].includes(target.id))
        for (const p of providers) expect(covered).toContain(p);
      if (["R5", "R10", "R11"].includes(target.id)) expect(covered).toContain("postgresql");
    }
    // R1/R2 time page 1 and deep cursors; R5 one and two worker processes each.
    const shorts = (id: string) => results.targets.find((t) => t.id === id)!.measurements.map((m) => m.short);
    expect(shorts("R1")).toEqual(["page 1", "deep cursors"]);
    if (hasPostgres) {
      expect(shorts("R2")).toEqual(["page 1", "deep cursors"]);
      expect(shorts("R5")).toEqual(["1 process", "2 processes"]);
    }
    // Every figure names the commit it was measured at, and the run's figures are in the history.
    for (const target of results.targets) expect(target.commit?.hash).toMatch(/^[0-9a-f]{7,}$/);
    const history = readHistory(out);
    const measured = results.targets.filter((t) => t.measurements.length > 0);
    expect(history.entries.map((e) => e.id).sort()).toEqual(measured.map((t) => t.id).sort());
    expect(
      history.entries.every((e) => e.mode === "smoke" && e.commit.hash === results.runs[0]!.commit?.hash),
    ).toBe(true);
    const heap = results.targets.find((t) => t.id === "R9")!.measurements.filter((m) => !m.provider);
    expect(heap.map((m) => m.label)).toEqual(
      hasChromium ? [expect.stringMatching(/^Dashboard JS heap/)] : [],
    );
    const markdown = readFileSync(join(out, "BENCHMARKS.md"), "utf8");
    expect(markdown).toMatch(/^# jobdeck benchmarks/);
    expect(markdown).toContain("| R1 |");
    expect(markdown).toContain("npm run bench -- --smoke --only R3");
    expect(markdown).toContain("## History");
    expect(markdown).toMatch(/^\| R1 \| SQLite page 1: .*; SQLite deep cursors: .*<br>`[0-9a-f]{7,}`/m);
    expect(markdown).toMatch(/Measured at commit `[0-9a-f]{7,}/);
    expect(markdown).toMatch(
      /^- Time: the latest smoke measurements of the \d+ targets recorded took \d+ s/m,
    );
    for (const id of ["R15", "R16", "R17", "R18"]) expect(markdown).toContain(`| ${id} |`);
    for (const chart of ["smoke-r1.svg", "smoke-r3.svg", "smoke-r4.svg", "smoke-r9-rss.svg"]) {
      const svg = readFileSync(join(out, "charts", chart), "utf8");
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg.trim()).toMatch(/<\/svg>$/);
    }
    expect(existsSync(join(repoRoot, "bench/results/smoke.json"))).toBe(false);
  });
});
