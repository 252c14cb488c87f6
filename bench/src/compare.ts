import type { BenchContext } from "./context.js";
import type { ContenderId } from "./contenders.js";
import type { Provider } from "./databases.js";
import { runThroughput } from "./load/run-load.js";
import type { LoadRequest, ThroughputResult } from "./load/spec.js";
import { cpuSeconds } from "./processes.js";
import { round, spread } from "./stats.js";
import { meets, type Measurement } from "./targets/types.js";

export type Run = ThroughputResult & { serverCpuSeconds: number; cpuMicrosPerRequest: number };

/** One throughput run against a running server, with the server's own CPU time over the run. */
export async function measureThroughput(
  ctx: BenchContext,
  provider: Provider,
  contender: ContenderId,
  requests: LoadRequest[],
  durationSeconds: number,
): Promise<Run> {
  const server = await ctx.server(provider, contender);
  const cpuBefore = cpuSeconds(server.pid);
  const result = await runThroughput(ctx.cores.load, {
    url: server.ready,
    connections: ctx.mode.connections,
    durationSeconds,
    requests,
  });
  const serverCpuSeconds = cpuSeconds(server.pid) - cpuBefore;
  if (result.ok === 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${contender} on ${provider}: ${result.ok} ok, ${result.non2xx} non-2xx, ${result.errors} errors; output:\n${server.output().slice(-2000)}`,
    );
  }
  return { ...result, serverCpuSeconds, cpuMicrosPerRequest: (serverCpuSeconds * 1e6) / result.ok };
}

/**
 * jobdeck against a baseline, run alternately (warm both, then A B A B …), one ratio per pair:
 * jobdeck's req/s ÷ the baseline's. The CPU-per-request ratio (baseline ÷ jobdeck) is kept beside
 * it: it does not depend on how much of the core other processes took during the run.
 */
export async function compareThroughput(
  ctx: BenchContext,
  options: {
    label: string;
    provider: Provider;
    a: ContenderId;
    b: ContenderId;
    requests: (contender: ContenderId) => LoadRequest[];
    goal: { op: "<=" | ">="; value: number };
    command: string;
  },
): Promise<Measurement> {
  const { mode } = ctx;
  const { provider, a, b } = options;
  if (mode.warmupSeconds > 0) {
    ctx.log(`  warming up ${a} and ${b} on ${provider}`);
    await measureThroughput(ctx, provider, a, options.requests(a), mode.warmupSeconds);
    await measureThroughput(ctx, provider, b, options.requests(b), mode.warmupSeconds);
  }
  const runs: Record<"a" | "b", Run[]> = { a: [], b: [] };
  for (let i = 0; i < mode.rounds; i++) {
    runs.a.push(await measureThroughput(ctx, provider, a, options.requests(a), mode.durationSeconds));
    runs.b.push(await measureThroughput(ctx, provider, b, options.requests(b), mode.durationSeconds));
    ctx.log(
      `  round ${i + 1}/${mode.rounds}: ${a} ${runs.a[i]!.requestsPerSecond.toFixed(0)} req/s, ${b} ${runs.b[i]!.requestsPerSecond.toFixed(0)} req/s`,
    );
  }
  const ratios = runs.a.map((run, i) => run.requestsPerSecond / runs.b[i]!.requestsPerSecond);
  const cpuRatios = runs.a.map((run, i) => runs.b[i]!.cpuMicrosPerRequest / run.cpuMicrosPerRequest);
  const value = spread(ratios);
  const cpu = spread(cpuRatios);
  const rps = (list: Run[]) => list.map((r) => round(r.requestsPerSecond, 1));
  return {
    label: options.label,
    provider,
    unit: "×",
    value,
    goal: options.goal,
    isMet: meets(value.median, options.goal),
    rounds: {
      [`${a} req/s`]: rps(runs.a),
      [`${b} req/s`]: rps(runs.b),
      [`${a} CPU µs/req`]: runs.a.map((r) => round(r.cpuMicrosPerRequest, 1)),
      [`${b} CPU µs/req`]: runs.b.map((r) => round(r.cpuMicrosPerRequest, 1)),
      [`${a} p99 ms`]: runs.a.map((r) => r.latencyP99Ms),
      [`${b} p99 ms`]: runs.b.map((r) => r.latencyP99Ms),
    },
    extra: {
      [`${a} req/s (median)`]: round(spread(runs.a.map((r) => r.requestsPerSecond)).median, 0),
      [`${b} req/s (median)`]: round(spread(runs.b.map((r) => r.requestsPerSecond)).median, 0),
      "CPU-per-request ratio (median)": round(cpu.median, 3),
      "CPU-per-request ratio (min–max)": `${round(cpu.min, 2)}–${round(cpu.max, 2)}`,
    },
    command: options.command,
  };
}
