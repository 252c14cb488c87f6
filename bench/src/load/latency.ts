import { Agent, request } from "node:http";
import type { LatencyResult, LatencySpec, LoadRequest } from "./spec.js";

/**
 * Sequential requests over one kept-alive connection, timed with hrtime from first byte written to
 * last byte read. Cases alternate request by request, so a burst of noise hits them alike. Runs in
 * the load process, on the load generator's core.
 */
export async function runLatencyHere(spec: LatencySpec): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(spec.url);
  const timed = (r: LoadRequest): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(
        { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, agent },
        (res) => {
          res.on("data", () => undefined);
          res.on("end", () => {
            if (res.statusCode !== 200 && res.statusCode !== 201) {
              reject(new Error(`${r.method} ${r.path}: HTTP ${res.statusCode}`));
              return;
            }
            resolve(Number(process.hrtime.bigint() - started) / 1e6);
          });
        },
      );
      req.on("error", reject);
      req.end(r.body);
    });
  try {
    const result: LatencyResult = Object.fromEntries(spec.cases.map((c) => [c.name, [] as number[]]));
    for (let i = 0; i < spec.warmup; i++) for (const c of spec.cases) await timed(c.request);
    for (let i = 0; i < spec.rounds; i++)
      for (const c of spec.cases) result[c.name]!.push(await timed(c.request));
    return result;
  } finally {
    agent.destroy();
  }
}
