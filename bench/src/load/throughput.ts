import autocannon from "autocannon";
import type { ThroughputResult, ThroughputSpec } from "./spec.js";

/** One autocannon run, summarised. Runs in the load process, on the load generator's core. */
export async function runThroughputHere(spec: ThroughputSpec): Promise<ThroughputResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    timeout: 30,
    requests: spec.requests.map((r) => ({
      method: r.method,
      path: r.path,
      headers: r.headers,
      body: r.body,
    })),
  });
  return {
    seconds: result.duration,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requestsPerSecond: result["2xx"] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
