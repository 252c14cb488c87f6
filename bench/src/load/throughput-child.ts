import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { ThroughputResult, ThroughputSpec } from "./spec.js";

/** Runs on the load generator's core: one autocannon run, its summary as JSON on stdout. */
const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as ThroughputSpec;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  timeout: 30,
  requests: spec.requests.map((r) => ({ method: r.method, path: r.path, headers: r.headers, body: r.body })),
});
const summary: ThroughputResult = {
  seconds: result.duration,
  ok: result["2xx"],
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  requestsPerSecond: result["2xx"] / result.duration,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
};
process.stdout.write(JSON.stringify(summary));
