import { existsSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import autocannon from "autocannon";
import { signToken } from "../../src/auth/tokens.js";
import { resolveTokenKeys } from "../../src/auth/keys.js";
import { loadConfig } from "../../src/config.js";
import { distEntry, startProcess, type RunningProcess } from "../support/processes.js";
import { TEST_JWT_SECRET } from "../support/server.js";

/** A server process and worker processes on one database, as a deployment runs them. */

export const RECORDING_TYPES = new URL("../support/job-type-modules/recording-job-types.js", import.meta.url)
  .pathname;

export type Cluster = {
  url: string;
  token: string;
  server: RunningProcess;
  workers: RunningProcess[];
  startWorker(): Promise<RunningProcess>;
  outputs(): string;
  stop(): Promise<void>;
};

export async function startCluster({
  databaseUrl,
  recordFile,
  workers,
}: {
  databaseUrl: string;
  recordFile: string;
  workers: number;
}): Promise<Cluster> {
  const env = {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    JOB_TYPES_MODULE: RECORDING_TYPES,
    RECORD_FILE: recordFile,
    RATE_LIMIT_PER_MINUTE: "1000000",
    // Short leases: a killed worker's jobs are taken over within seconds.
    WORKER_LEASE_MS: "2000",
    WORKER_POLL_MS: "100",
    WORKER_BACKOFF_BASE_MS: "200",
    WORKER_BACKOFF_MAX_MS: "2000",
  };
  const server = startProcess(distEntry("main.js"), [], { ...env, PORT: "0", WORKER_CONCURRENCY: "2" });
  const [, url] = await server.waitFor(/jobdeck is running at (http:\/\/\S+) /);
  const all: RunningProcess[] = [];
  const startWorker = async () => {
    const worker = startProcess(distEntry("worker-main.js"), [], { ...env, WORKER_CONCURRENCY: "4" });
    await worker.waitFor(/is running/);
    all.push(worker);
    return worker;
  };
  const started: RunningProcess[] = [];
  for (let i = 0; i < workers; i++) started.push(await startWorker());
  const keys = resolveTokenKeys(loadConfig({ JWT_SECRET: TEST_JWT_SECRET }));
  return {
    url: url!,
    token: signToken(keys, "load-tester", 3600),
    server,
    workers: started,
    startWorker,
    outputs: () => [server, ...all].map((p) => p.output()).join("\n"),
    stop: async () => {
      for (const p of [...all, server]) if (p.child.exitCode === null) p.child.kill("SIGTERM");
      await Promise.all([...all, server].map((p) => p.exited));
    },
  };
}

export type LoadResult = {
  requests: number;
  byStatus: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Ids of the jobs acknowledged with a 201. */
  created: string[];
};

/** Mixed reads and creates from `connections` clients for `seconds`. */
export async function runLoad({
  url,
  token,
  seconds,
  connections = 8,
  payload = { ms: 5 },
}: {
  url: string;
  token: string;
  seconds: number;
  connections?: number;
  payload?: object;
}): Promise<LoadResult> {
  const created: string[] = [];
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      { method: "GET", path: "/v1/jobs?limit=20" },
      {
        method: "POST",
        path: "/v1/jobs",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ type: "test.record", payload }),
        onResponse: (status: number, body: string) => {
          if (status === 201) created.push((JSON.parse(body) as { data: { id: string } }).data.id);
        },
      },
      { method: "GET", path: "/v1/jobs/stats" },
    ],
  });
  const byStatus = Object.fromEntries(
    Object.entries(result.statusCodeStats as Record<string, { count: number }>).map(([code, stat]) => [
      code,
      stat.count,
    ]),
  );
  return {
    requests: result.requests.total,
    byStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    created,
  };
}

type Stats = { total: number; byStatus: Record<string, number> };

export async function stats(url: string, token: string): Promise<Stats> {
  const response = await fetch(`${url}/v1/jobs/stats`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`stats answered ${response.status}`);
  return ((await response.json()) as { data: Stats }).data;
}

/** Waits until no job is pending or running. */
export async function waitForQuiet(url: string, token: string, timeoutMs = 120_000): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await stats(url, token).catch(() => undefined);
    if (current && (current.byStatus.pending ?? 0) === 0 && (current.byStatus.running ?? 0) === 0)
      return current;
    if (Date.now() > deadline) throw new Error(`jobs never all ended: ${JSON.stringify(current)}`);
    await delay(250);
  }
}

export type Run = { jobId: string; attempt: number; pid: number; start: number; end: number | undefined };

/** The recording job type's log, as runs: one per attempt a process started. */
export function readRuns(file: string): Run[] {
  if (!existsSync(file)) return [];
  const runs = new Map<string, Run>();
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const [event, jobId, attempt, pid, at] = line.split(" ");
    const key = `${jobId} ${attempt} ${pid}`;
    if (event === "start")
      runs.set(key, {
        jobId: jobId!,
        attempt: Number(attempt),
        pid: Number(pid),
        start: Number(at),
        end: undefined,
      });
    else {
      const run = runs.get(key);
      if (run) run.end = Number(at);
    }
  }
  return [...runs.values()];
}

/**
 * Runs of one job that overlapped in time: what "never concurrent" forbids. A run that never ended
 * belongs to a killed process: it ended when that process died (`diedAt`).
 */
export function overlappingRuns(runs: Run[], diedAt: Map<number, number>): [Run, Run][] {
  const byJob = new Map<string, Run[]>();
  for (const run of runs) byJob.set(run.jobId, [...(byJob.get(run.jobId) ?? []), run]);
  const overlaps: [Run, Run][] = [];
  for (const list of byJob.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1]!;
      const end = previous.end ?? diedAt.get(previous.pid) ?? Number.POSITIVE_INFINITY;
      if (end > list[i]!.start) overlaps.push([previous, list[i]!]);
    }
  }
  return overlaps;
}
