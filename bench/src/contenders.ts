import { join } from "node:path";
import type { BenchDatabase, Provider } from "./databases.js";
import { benchDist, jobdeckMain, repoRoot, workDir } from "./paths.js";
import { startServer, type Running } from "./processes.js";
import { BENCH_JWT_SECRET } from "./tokens.js";

/**
 * Everything the bench puts under load. A contender starts one server process on the server core
 * over a given database. R5/R6 will add the worker and graphile-worker here; R7/R8 the dashboard.
 */
export type ContenderId = "jobdeck" | "raw-sqlite" | "raw-postgres";

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
};

export const baselineFor = (provider: Provider): ContenderId =>
  provider === "sqlite" ? "raw-sqlite" : "raw-postgres";
