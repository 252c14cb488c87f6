/** What the parent asks a load process to do, and what it answers (JSON over a file and stdout). */

export type LoadRequest = {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
};

export type ThroughputSpec = {
  kind: "throughput";
  url: string;
  connections: number;
  durationSeconds: number;
  /** Each connection walks this list in order, round and round. */
  requests: LoadRequest[];
};

export type ThroughputResult = {
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
};

export type LatencySpec = {
  kind: "latency";
  url: string;
  /** Sequential requests, one at a time: `rounds` × each case in turn, so cases alternate. */
  cases: { name: string; request: LoadRequest }[];
  rounds: number;
  warmup: number;
};

/** Milliseconds per request, per case, in the order they were taken. */
export type LatencyResult = Record<string, number[]>;

/** What the harness sends the load process, and what comes back, matched by id. */
export type LoadMessage = { id: number; spec: ThroughputSpec | LatencySpec };
export type LoadReply = { id: number; result?: ThroughputResult | LatencyResult; error?: string };
