import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchDist, workDir } from "../paths.js";
import { spawnPinned } from "../processes.js";
import type { LatencyResult, LatencySpec, ThroughputResult, ThroughputSpec } from "./spec.js";

/** Starts a load process on the load core, hands it the spec, returns what it printed as JSON. */
async function runChild<T>(core: string, script: string, spec: unknown): Promise<T> {
  mkdirSync(workDir, { recursive: true });
  const file = join(workDir, `load-${randomBytes(4).toString("hex")}.json`);
  writeFileSync(file, JSON.stringify(spec));
  try {
    const child = spawnPinned(core, process.execPath, [join(benchDist, "src/load", script), file], {
      env: {},
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`${script} failed (${code}): ${stderr.slice(-2000)}`);
    return JSON.parse(stdout) as T;
  } finally {
    rmSync(file, { force: true });
  }
}

export const runThroughput = (core: string, spec: Omit<ThroughputSpec, "kind">) =>
  runChild<ThroughputResult>(core, "throughput-child.js", { kind: "throughput", ...spec });

export const runLatency = (core: string, spec: Omit<LatencySpec, "kind">) =>
  runChild<LatencyResult>(core, "latency-child.js", { kind: "latency", ...spec });
