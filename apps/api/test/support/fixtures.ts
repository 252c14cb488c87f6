import { pino } from "pino";
import { test as base } from "vitest";
import { openDatabase, type Database, type Provider } from "../../src/db/index.js";
import { createJobStore, type JobStore, type NewJob } from "../../src/db/job-store/index.js";
import { createJobTypeRegistry } from "../../src/job-types/registry.js";
import type { JobTypeDefinition } from "../../src/job-types/types.js";
import { jobEventData } from "../../src/jobs/mapper.js";
import type { WorkerHooks } from "../../src/worker/hooks.js";
import { createWorker, type Worker } from "../../src/worker/worker.js";
import { createTestDatabase } from "./databases.js";
import { openPrisma } from "./prisma.js";

export const silentLogger = pino({ level: "silent" });

/** New jobs for the store, with ids in the order they are made (uuid-shaped, as v7's sort). */
export function jobFactory(): (options?: Partial<NewJob>) => NewJob {
  let seq = 0;
  return (options = {}) => ({
    id: `0190c1e0-0000-7000-8000-${String(++seq).padStart(12, "0")}`,
    userId: "u",
    type: "t",
    resultType: "json",
    payload: {},
    maxAttempts: 3,
    timeoutMs: 10_000,
    ...options,
  });
}

export type WorkerOptions = {
  concurrency?: number;
  leaseMs?: number;
  /** Backoff base; the cap is 10 s. */
  baseMs?: number;
  hooks?: WorkerHooks;
  abortGraceMs?: number;
  /** How often it polls; default 20 ms. */
  pollMs?: number;
};

/**
 * A fresh database per test, with the data layer and a job store on it, Prisma Client beside them,
 * and `startWorker` for workers that are stopped when the test ends. Pick the database with
 * `test.override({ provider })` in a describe block (SQLite unless told otherwise).
 */
export const test = base
  .extend("provider", "sqlite" as Provider)
  .extend("database", async ({ provider }, { onCleanup }) => {
    const database = await createTestDatabase(provider);
    onCleanup(() => database.drop());
    return database;
  })
  .extend("db", async ({ database }, { onCleanup }) => {
    const db = await openDatabase(database.url, { logger: silentLogger });
    onCleanup(() => db.close());
    return db;
  })
  .extend("store", ({ db }) => createJobStore(db, { eventData: jobEventData }))
  .extend("prisma", ({ database }, { onCleanup }) => {
    const prisma = openPrisma(database);
    onCleanup(() => prisma.$disconnect());
    return prisma;
  })
  .extend("startWorker", ({ db, store }, { onCleanup }) => {
    const workers: Worker[] = [];
    onCleanup(async () => {
      await Promise.all(workers.map((worker) => worker.stop(0)));
    });
    return (types: JobTypeDefinition<unknown>[], options: WorkerOptions = {}): Worker => {
      const worker = startTestWorker({ db, store }, types, options);
      workers.push(worker);
      return worker;
    };
  });

/**
 * A started worker on `db` and `store` that runs only `types`, polling often and backing off
 * briefly, as the tests want. Stop it with `worker.stop(0)`.
 */
export function startTestWorker(
  { db, store }: { db: Database; store: JobStore },
  types: JobTypeDefinition<unknown>[],
  options: WorkerOptions = {},
): Worker {
  const worker = createWorker({
    db,
    store,
    logger: silentLogger,
    registry: createJobTypeRegistry(types),
    concurrency: options.concurrency ?? 2,
    leaseMs: options.leaseMs ?? 5_000,
    pollMs: options.pollMs ?? 20,
    backoff: { baseMs: options.baseMs ?? 10, maxMs: 10_000 },
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.abortGraceMs !== undefined ? { abortGraceMs: options.abortGraceMs } : {}),
  });
  worker.start();
  return worker;
}
