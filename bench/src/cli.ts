import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { JOBDECK_ENV, jobdeckEntry } from "./contenders.js";
import { createContext } from "./context.js";
import { commitOf } from "./git.js";
import { appendHistory, historyEntryOf } from "./history.js";
import {
  createBenchDatabase,
  existingDatabase,
  isPostgresReachable,
  PG_ADMIN_URL,
  type BenchDatabase,
  type Provider,
} from "./databases.js";
import { killDescendants, withinDeadline } from "./deadline.js";
import { stopLoadProcesses } from "./load/run-load.js";
import { MODES } from "./modes.js";
import { jobdeckMain, repoRoot, resultsDir, workDir } from "./paths.js";
import { chooseCores } from "./processes.js";
import { writeReport } from "./report/markdown.js";
import { writeResults, type Results, type TargetRecord } from "./results.js";
import { seedPostgres } from "./seed/seed-postgres.js";
import { seedSqliteElsewhere } from "./seed/seed-elsewhere.js";
import { TARGETS } from "./targets/index.js";

const USAGE = `npm run bench -- [--quick | --smoke] [--only R1,R3] [--db sqlite,postgresql]
  [--out DIR] [--keep-db] [--reuse-db] [--profile] [--report-only]

  (no flag)   the full run (under an hour): 1,000,000 jobs, 5 A/B pairs of 3 s, R5 at
              100,000 jobs a round (1 and 2 processes), R9 over 5 minutes
  --quick     under 10 minutes: 320,000 jobs, 5 pairs of 1.5 s, R5/R10 at 2,000 jobs, R9 over 40 s,
              R18 exporting 100,000 jobs
  --smoke     a tiny run that proves the harness works (npm test runs it); never a timing
  --only      some targets (their figures replace the same targets' in the results file);
              npm run bench:worker is --only R5,R6
  --db        some databases (default: SQLite, and PostgreSQL when it answers)
  --out       where results go (default bench/results; BENCHMARKS.md is written at the
              repository root only for bench/results)
  --keep-db   keep the seeded databases (bench/results/tmp/kept-<mode>.json) for --reuse-db
  --profile   run the servers with --cpu-prof (bench/results/tmp/profiles)
  --report-only  rewrite BENCHMARKS.md from the results files`;

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    only: { type: "string" },
    db: { type: "string" },
    out: { type: "string" },
    "keep-db": { type: "boolean", default: false },
    "reuse-db": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const mode = MODES[values.smoke ? "smoke" : values.quick ? "quick" : "full"];
const outDir = resolve(values.out ?? resultsDir);
const isRepoResults = outDir === resultsDir;
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

if (values["report-only"]) {
  writeReport(outDir, isRepoResults);
  process.exit(0);
}
if (!existsSync(jobdeckMain)) {
  console.error(`${jobdeckMain} is missing: build first (npx turbo run build), or use npm run bench`);
  process.exit(1);
}

const only = values.only?.split(",").map((s) => s.trim().toUpperCase());
const targets = TARGETS.filter((t) => !only || only.includes(t.id));
const pgUp = await isPostgresReachable();
const wanted = (values.db?.split(",") ?? ["sqlite", "postgresql"]) as Provider[];
const providers = wanted.filter((p) => p !== "postgresql" || pgUp);
if (wanted.includes("postgresql") && !pgUp) {
  if (process.env.CI === "true")
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}, and CI=true requires it`);
  log(`PostgreSQL is not reachable at ${PG_ADMIN_URL}: its figures are skipped`);
}
const needed = providers.filter((p) => targets.some((t) => t.providers.includes(p)));

const startedAt = new Date();
// The code measured: this checkout, or the one BENCH_JOBDECK_MAIN points into.
const commit = commitOf(process.env.BENCH_JOBDECK_MAIN ? dirname(jobdeckEntry) : repoRoot);
const loadAverages: number[][] = [loadavg()];
const cores = chooseCores();
log(
  `${mode.name} run: ${targets.map((t) => t.id).join(", ")} on ${needed.join(" + ") || "no database"}; ${cores.note}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; commit ${commit.hash}${commit.isDirty ? " (dirty)" : ""}`,
);

const databases: Partial<Record<Provider, BenchDatabase>> = {};
const seedSeconds: Record<string, number> = {};
let seedWallSeconds: number | undefined;
const keptFile = join(workDir, `kept-${mode.name}.json`);
const kept =
  values["reuse-db"] && existsSync(keptFile)
    ? (JSON.parse(readFileSync(keptFile, "utf8")) as Record<string, string>)
    : {};
let isCleaningUp = false;
const cleanUp = async () => {
  if (isCleaningUp) return;
  isCleaningUp = true;
  stopLoadProcesses();
  await context.stopServers().catch(() => undefined);
  if (values["keep-db"]) {
    mkdirSync(workDir, { recursive: true });
    writeFileSync(
      keptFile,
      JSON.stringify(Object.fromEntries(Object.entries(databases).map(([p, d]) => [p, d.location]))),
    );
    log(`kept the databases: ${keptFile}`);
    return;
  }
  for (const db of Object.values(databases))
    await db.drop().catch((e: unknown) => log(`could not drop ${db.location}: ${String(e)}`));
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers and dropping databases`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const context = createContext({
  mode,
  cores,
  providers: needed,
  reachable: providers,
  databases,
  profileDir: values.profile ? join(workDir, "profiles") : undefined,
  log,
});
if (context.profileDir) mkdirSync(context.profileDir, { recursive: true });

const records: TargetRecord[] = [];
let failed = false;
try {
  // The databases are seeded side by side (SQLite in a process of its own): the seed is a large
  // part of the quick run's 10 minutes, and the two loads mostly use different cores.
  const seedingStarted = Date.now();
  await Promise.all(
    needed.map(async (provider) => {
      if (kept[provider]) {
        databases[provider] = existingDatabase(provider, kept[provider]);
        log(`reusing the seeded ${provider} database ${kept[provider]}`);
        return;
      }
      const started = Date.now();
      const db = await createBenchDatabase(provider, mode.name);
      databases[provider] = db;
      log(
        `seeding ${mode.plan.totalRows.toLocaleString("en")} jobs for ${mode.plan.users} users into ${provider} (${db.location})`,
      );
      if (provider === "sqlite") await seedSqliteElsewhere(db.location, mode.plan);
      else await seedPostgres(db.url, mode.plan);
      seedSeconds[provider] = Math.round((Date.now() - started) / 100) / 10;
      log(`seeded ${provider} in ${seedSeconds[provider]} s`);
    }),
  );
  if (Object.keys(seedSeconds).length > 0)
    seedWallSeconds = Math.round((Date.now() - seedingStarted) / 100) / 10;

  for (const target of targets) {
    const began = Date.now();
    const loadBefore = loadavg()[0]!;
    const base = {
      measuredAt: new Date().toISOString(),
      id: target.id,
      title: target.title,
      goal: target.goal,
    };
    const unavailable = target.unavailable(context);
    if (unavailable) {
      log(`${target.id}: not measured: ${unavailable}`);
      records.push({
        ...base,
        status: "not measured",
        measurements: [],
        notes: [],
        unavailable,
        commit,
        seconds: 0,
        loadAverage: [loadBefore, loadBefore],
      });
      continue;
    }
    log(`${target.id}: ${target.title}`);
    try {
      const result = await withinDeadline(
        target.run(context),
        mode.targetDeadlineSeconds * 1000,
        async () => {
          // A hung target (R8's renderer spun for 15 minutes once) costs its deadline, not the run:
          // its processes die, so what it awaited ends, and the next target starts fresh servers.
          const killed = await killDescendants(process.pid);
          log(`${target.id}: over its deadline; killed ${killed.length} processes the run had started`);
          stopLoadProcesses();
          await context.stopServers().catch(() => undefined);
        },
      );
      const seconds = Math.round((Date.now() - began) / 1000);
      records.push({
        ...result,
        measuredAt: base.measuredAt,
        commit,
        seconds,
        loadAverage: [loadBefore, loadavg()[0]!],
      });
      log(`${target.id}: ${result.status} (${seconds} s)`);
    } catch (error) {
      failed = true;
      log(`${target.id} FAILED: ${(error as Error).stack ?? String(error)}`);
      records.push({
        ...base,
        status: "not measured",
        measurements: [],
        notes: [],
        error: (error as Error).message.slice(0, 2000),
        commit,
        seconds: Math.round((Date.now() - began) / 1000),
        loadAverage: [loadBefore, loadavg()[0]!],
      });
    }
  }
} finally {
  await cleanUp();
}

loadAverages.push(loadavg());
let postgresVersion: string | undefined;
if (pgUp) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  postgresVersion = (
    await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")
  ).rows[0]?.v.split(" ")[0];
  await client.end();
}
const finishedAt = new Date();
const results: Results = {
  schema: "jobdeck-bench/1",
  mode: mode.name,
  machine: {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion,
    pinning: cores.note,
  },
  seed: {
    rows: mode.plan.totalRows,
    users: mode.plan.users,
    heavyUsers: mode.plan.heavy,
    deepRows: mode.plan.deepRows,
    seconds: seedSeconds,
    ...(seedWallSeconds === undefined ? {} : { wallSeconds: seedWallSeconds }),
    note:
      mode.name === "smoke"
        ? "smoke: a tiny seed that proves the harness runs; its figures mean nothing"
        : `${mode.plan.totalRows.toLocaleString("en")} jobs, ${mode.plan.users.toLocaleString("en")} users; the busiest have ${mode.plan.heavy.map((h) => h.toLocaleString("en")).join(", ")}`,
  },
  server: { env: JOBDECK_ENV, main: relative(repoRoot, jobdeckEntry) },
  runs: [
    {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
      loadAverage: loadAverages.map((l) => l.map((x) => Math.round(x * 100) / 100)),
      commit,
    },
  ],
  targets: records,
};
writeResults(outDir, results);
appendHistory(
  outDir,
  records.filter((r) => r.measurements.length > 0).map((r) => historyEntryOf(mode.name, r, commit)),
);
writeReport(outDir, isRepoResults);
log(
  `done in ${results.runs[0]!.seconds} s: ${outDir}/${mode.name}.json${isRepoResults ? " and BENCHMARKS.md" : ""}`,
);
process.exit(failed ? 1 : 0);
