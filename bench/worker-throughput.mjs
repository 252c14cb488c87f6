// Measures the worker: jobs per second (no-op `echo` jobs) and enqueue-to-start latency, on SQLite
// and on PostgreSQL (when it answers at PG_ADMIN_URL), with the worker in the API's process (as
// `npm start` runs it) and in a separate process (as `npm run worker` does).
//
//   npm run bench:worker                         # build, then both databases, both layouts
//   node bench/worker-throughput.mjs --jobs 2000 --latency-jobs 300 --concurrency 4
//
// Throughput: the worker is running and idle; `--jobs` jobs are enqueued as fast as the store takes
// them; the clock runs from the first enqueue to the last completion.
// Latency: `--latency-jobs` jobs enqueued one at a time, each once the previous one has completed.
// In-process it is taken from just before POST /v1/jobs is sent to the moment the handler starts
// (performance.now(), so it includes the HTTP request); in a separate process from the job's
// createdAt to its startedAt (database timestamps, 1 ms resolution, one clock).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";

const api = (path) => import(resolve(import.meta.dirname, "../apps/api/dist/src", path));
const { createApp } = await api("app.js");
const { bootRuntime, closeRuntime, createRuntimeWorker } = await api("boot.js");
const { loadConfig } = await api("config.js");
const { migrateDatabase } = await api("db/migrate.js");
const { signToken } = await api("auth/tokens.js");
const WORKER_MAIN = resolve(import.meta.dirname, "../apps/api/dist/src/worker-main.js");

const { values: args } = parseArgs({
  options: {
    jobs: { type: "string", default: "2000" },
    "latency-jobs": { type: "string", default: "300" },
    concurrency: { type: "string", default: "4" },
    only: { type: "string" },
  },
});
const JOBS = Number(args.jobs);
const LATENCY_JOBS = Number(args["latency-jobs"]);
const CONCURRENCY = args.concurrency;
const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SECRET = "bench-secret-that-is-long-enough-for-hs256-0123456789";

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freshDatabase(provider) {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "jobdeck-bench-"));
    const url = `file:${join(dir, "bench.db")}`;
    await migrateDatabase(url);
    return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `jobdeck_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) };
};

async function waitUntil(check, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await delay(5);
  }
}

let seq = 0;
const newJob = () => ({
  id: `0190c1e0-0000-7000-8000-${(++seq).toString(16).padStart(12, "0")}`,
  userId: "bench",
  type: "echo",
  resultType: "json",
  payload: { n: seq },
  maxAttempts: 3,
  timeoutMs: 10_000,
});

async function run(provider, layout) {
  const database = await freshDatabase(provider);
  const isInProcess = layout === "in-process";
  const config = loadConfig({
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    JWT_SECRET: SECRET,
    DATABASE_URL: database.url,
    WORKER_CONCURRENCY: isInProcess ? CONCURRENCY : "0",
  });
  const runtime = await bootRuntime(config, { migrate: false });
  const started = new Map();
  let completed = 0;
  let worker;
  let child;
  if (isInProcess) {
    worker = createRuntimeWorker(runtime, {
      onJobStarted: (job) => started.set(job.id, performance.now()),
      onJobCompleted: () => completed++,
    });
    worker.start();
  } else {
    child = spawn(process.execPath, [WORKER_MAIN], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        JWT_SECRET: SECRET,
        DATABASE_URL: database.url,
        WORKER_CONCURRENCY: CONCURRENCY,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise((resolveReady, reject) => {
      child.stdout.on("data", (chunk) => chunk.toString().includes("is running") && resolveReady());
      child.on("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }
  const countCompleted = async () =>
    isInProcess ? completed : runtime.db.prisma.job.count({ where: { status: "completed" } });

  // Throughput.
  const t0 = performance.now();
  for (let i = 0; i < JOBS; i++) await runtime.store.insertJob(newJob(), new Date());
  const enqueuedMs = performance.now() - t0;
  await waitUntil(async () => (await countCompleted()) >= JOBS);
  const totalMs = performance.now() - t0;

  // Latency.
  const server = createApp(runtime).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${server.address().port}/v1/jobs`;
  const token = signToken(runtime.keys, "bench", 3600);
  const latencies = [];
  for (let i = 0; i < LATENCY_JOBS; i++) {
    const before = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "echo", payload: { i } }),
    });
    const { data } = await response.json();
    if (isInProcess) {
      await waitUntil(() => started.has(data.id));
      latencies.push(started.get(data.id) - before);
      await waitUntil(() => completed >= JOBS + i + 1);
    } else {
      let row;
      await waitUntil(async () => {
        row = await runtime.db.prisma.job.findUnique({ where: { id: data.id } });
        return row.status === "completed";
      });
      latencies.push(row.startedAt.getTime() - row.createdAt.getTime());
    }
  }
  server.close();
  server.closeAllConnections();

  if (worker) await worker.stop(5_000);
  if (child) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  await closeRuntime(runtime);
  await database.drop();
  const latency = summary(latencies);
  return {
    provider,
    layout,
    jobs: JOBS,
    "enqueue jobs/s": Math.round(JOBS / (enqueuedMs / 1000)),
    "run jobs/s": Math.round(JOBS / (totalMs / 1000)),
    "latency p50 ms": Number(latency.p50.toFixed(1)),
    "latency p99 ms": Number(latency.p99.toFixed(1)),
    "latency max ms": Number(latency.max.toFixed(1)),
  };
}

let providers = ["sqlite", "postgresql"];
try {
  await adminQuery("SELECT 1");
} catch {
  console.warn(`PostgreSQL does not answer at ${PG_ADMIN_URL}: SQLite only`);
  providers = ["sqlite"];
}
if (args.only) providers = providers.filter((p) => p === args.only);

console.log(
  `node ${process.version}, ${JOBS} jobs, ${LATENCY_JOBS} latency jobs, WORKER_CONCURRENCY=${CONCURRENCY}`,
);
const rows = [];
for (const provider of providers) {
  for (const layout of ["in-process", "separate process"]) {
    const row = await run(provider, layout);
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
console.table(rows);
