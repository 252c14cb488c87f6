import { dirname, join } from "node:path";
import type { BenchDatabase, Provider } from "./databases.js";
import { benchDist, jobdeckMain, repoRoot, workDir } from "./paths.js";
import { startServer, type Running } from "./processes.js";
import { BENCH_JWT_SECRET } from "./tokens.js";

/**
 * Everything the bench puts under load. A contender starts one process on the server core over a
 * given database: a server, or (R5, R6) a worker. R7/R8 will add the dashboard.
 */
export type ContenderId =
  "jobdeck" | "raw-sqlite" | "raw-postgres" | "jobdeck-worker" | "jobdeck-with-worker" | "graphile-worker";

export type Contender = {
  id: ContenderId;
  /** How BENCHMARKS.md describes it. */
  description: string;
  providers: Provider[];
  start(db: BenchDatabase, options: StartOptions): Promise<Running>;
};

export type StartOptions = { core: string; profileDir?: string };

/** jobdeck as it ships, with what the bench changes about its environment (BENCHMARKS.md lists it). */
export const JOBDECK_ENV = {
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  WORKER_CONCURRENCY: "0",
  RATE_LIMIT_PER_MINUTE: "1000000",
};

/**
 * Which build of jobdeck to run: the repository's own, or another checkout's (BENCH_JOBDECK_MAIN),
 * to measure a change before and after with the same harness and baselines.
 */
export const jobdeckEntry = process.env.BENCH_JOBDECK_MAIN ?? jobdeckMain;

/** R5, R6: jobs run at once, the same for both queues (jobdeck's default is 4, graphile-worker's 1). */
export const WORKER_CONCURRENCY = 8;

/** The job type both queues run: a no-op (bench/workers/noop-job-types.ts). */
export const NOOP_JOB_TYPE = "bench.noop";

const jobdeckWorkerEnv = (db: BenchDatabase) => ({
  ...JOBDECK_ENV,
  WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
  JOB_TYPES_MODULE: join(benchDist, "workers/noop-job-types.js"),
  DATABASE_URL: db.url,
  JWT_SECRET: BENCH_JWT_SECRET,
  DATA_DIR: join(workDir, "data"),
});

const nodeArgs = (options: StartOptions) =>
  options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] : [];

export const CONTENDERS: Record<ContenderId, Contender> = {
  jobdeck: {
    id: "jobdeck",
    description:
      "the built server, `node apps/api/dist/src/main.js`: Express + ts-rest + Prisma 6.19 (JS engine), helmet, CORS, per-user rate limit, pino-http, metrics",
    providers: ["sqlite", "postgresql"],
    start: (db, options) =>
      startServer("jobdeck", options.core, process.execPath, [...nodeArgs(options), jobdeckEntry], {
        cwd: repoRoot,
        env: {
          ...JOBDECK_ENV,
          DATABASE_URL: db.url,
          PORT: "0",
          HOST: "127.0.0.1",
          JWT_SECRET: BENCH_JWT_SECRET,
          DATA_DIR: join(workDir, "data"),
        },
        readyPattern: /running at (http:\/\/\S+)/,
      }),
  },
  "raw-sqlite": {
    id: "raw-sqlite",
    description:
      "`bench/baselines/raw-sqlite.ts`: `node:http` + better-sqlite3, cached prepared statements, hand-checked HS256 token, same SQL, same JSON bytes",
    providers: ["sqlite"],
    start: (db, options) =>
      startServer(
        "raw-sqlite",
        options.core,
        process.execPath,
        [...nodeArgs(options), join(benchDist, "baselines/raw-sqlite.js")],
        {
          env: { DATABASE_FILE: db.location, JWT_SECRET: BENCH_JWT_SECRET, PORT: "0" },
          readyPattern: /listening at (http:\/\/\S+)/,
        },
      ),
  },
  "raw-postgres": {
    id: "raw-postgres",
    description:
      "`bench/baselines/raw-postgres.ts`: `node:http` + `pg` pool of 10, named prepared statements, hand-checked HS256 token, same SQL, same JSON bytes",
    providers: ["postgresql"],
    start: (db, options) =>
      startServer(
        "raw-postgres",
        options.core,
        process.execPath,
        [...nodeArgs(options), join(benchDist, "baselines/raw-postgres.js")],
        {
          env: { DATABASE_URL: db.url, JWT_SECRET: BENCH_JWT_SECRET, PORT: "0" },
          readyPattern: /listening at (http:\/\/\S+)/,
        },
      ),
  },
  "jobdeck-worker": {
    id: "jobdeck-worker",
    description:
      "`node apps/api/dist/src/worker-main.js` (`npm run worker`): jobdeck's worker alone, with the bench's no-op job type (JOB_TYPES_MODULE)",
    providers: ["sqlite", "postgresql"],
    start: (db, options) =>
      startServer(
        "jobdeck-worker",
        options.core,
        process.execPath,
        [...nodeArgs(options), join(dirname(jobdeckEntry), "worker-main.js")],
        {
          cwd: repoRoot,
          env: jobdeckWorkerEnv(db),
          readyPattern: /jobdeck worker (\S+) is running/,
        },
      ),
  },
  "jobdeck-with-worker": {
    id: "jobdeck-with-worker",
    description:
      "the built server with its worker in the same process (`npm start` with WORKER_CONCURRENCY > 0), with the bench's no-op job type",
    providers: ["sqlite", "postgresql"],
    start: (db, options) =>
      startServer(
        "jobdeck-with-worker",
        options.core,
        process.execPath,
        [...nodeArgs(options), jobdeckEntry],
        {
          cwd: repoRoot,
          env: { ...jobdeckWorkerEnv(db), PORT: "0", HOST: "127.0.0.1" },
          readyPattern: /running at (http:\/\/\S+)/,
        },
      ),
  },
  "graphile-worker": {
    id: "graphile-worker",
    description:
      "`bench/workers/graphile-worker.ts`: graphile-worker from npm with its defaults, the same concurrency and a no-op task",
    providers: ["postgresql"],
    start: (db, options) =>
      startServer(
        "graphile-worker",
        options.core,
        process.execPath,
        [...nodeArgs(options), join(benchDist, "workers/graphile-worker.js")],
        {
          env: { DATABASE_URL: db.url, WORKER_CONCURRENCY: String(WORKER_CONCURRENCY) },
          readyPattern: /graphile-worker is running/,
        },
      ),
  },
};

export const baselineFor = (provider: Provider): ContenderId =>
  provider === "sqlite" ? "raw-sqlite" : "raw-postgres";
