import type { Logger } from "pino";
import { resolveTokenKeys, type TokenKeys } from "./auth/keys.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase, type Database } from "./db/index.js";
import { createJobStore, type JobStore } from "./db/job-store/index.js";
import { migrateDatabase } from "./db/migrate.js";
import { sharedSecret } from "./db/settings.js";
import { createEventFeed, type EventFeed } from "./events/event-feed.js";
import { installValidationMessages } from "./http/validation.js";
import { loadJobTypes } from "./job-types/load-job-types.js";
import { JobTypeError, type JobTypeRegistry } from "./job-types/registry.js";
import { jobEventData } from "./jobs/mapper.js";
import { createBulkRunner, type BulkRunner } from "./bulk-operations/runner.js";
import { createThreadBulkRunner } from "./bulk-operations/thread-runner.js";
import { createLogger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { metricsHooks } from "./metrics/worker-hooks.js";
import { createScheduler } from "./schedules/scheduler.js";
import { createWebhookSender } from "./webhooks/sender.js";
import { createWorker, type Worker } from "./worker/worker.js";

/** Reads the environment or stops the process with one line naming the bad variable (docs/api.md §1.2). */
export function configOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`jobdeck: invalid configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

export type Runtime = {
  config: Config;
  logger: Logger;
  /** Reads, the single writer and the process's signals (see db/index.ts). */
  db: Database;
  /** Every change of a job's state, on the writer. */
  store: JobStore;
  feed: EventFeed;
  keys: TokenKeys;
  registry: JobTypeRegistry;
  cursorKey: Buffer;
  /** One registry per process: the HTTP app's and the worker's figures side by side on /metrics. */
  metrics: Metrics;
};

/** bootRuntime with migrations, or a one-line message and exit 1 when the job types are unusable. */
export async function bootOrExit(config: Config): Promise<Runtime> {
  try {
    return await bootRuntime(config, { migrate: true });
  } catch (error) {
    if (error instanceof JobTypeError) {
      console.error(`jobdeck: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * PostgreSQL connections for the writer: a claim, a settle batch, lease renewals and the API's own
 * writes may be under way at once. Between 4 and 10.
 */
export const writePoolSize = (workerConcurrency: number): number =>
  Math.min(10, Math.max(4, workerConcurrency + 2));

/** Everything a server or worker process needs, shared by main.ts and worker-main.ts. */
export async function bootRuntime(config: Config, options: { migrate: boolean }): Promise<Runtime> {
  // Before any schema parses anything: the API and the worker word validation errors alike.
  installValidationMessages();
  const logger = createLogger(config);
  const keys = resolveTokenKeys(config);
  const registry = await loadJobTypes(config);
  if (options.migrate) {
    const applied = await migrateDatabase(config.databaseUrl);
    if (applied.length > 0) logger.info({ migrations: applied }, "applied database migrations");
  }
  const db = await openDatabase(config.databaseUrl, {
    logger,
    readPoolSize: config.databasePoolSize,
    writePoolSize: writePoolSize(config.workerConcurrency),
  });
  const cursorKey = await sharedSecret(db, "cursor-key");
  const store = createJobStore(db, { eventData: jobEventData });
  const feed = createEventFeed({ db, logger });
  const metrics = createMetrics(db);
  return { config, logger, db, store, feed, keys, registry, cursorKey, metrics };
}

/**
 * The worker that runs this process's share of the jobs (WORKER_CONCURRENCY at a time), and beside
 * it the sender of webhook messages (§13) and the firing loop of schedules (§12): every process that
 * runs jobs sends webhooks and fires schedules too. They start and stop together.
 */
export function createRuntimeWorker(runtime: Runtime, hooks = metricsHooks(runtime.metrics)): Worker {
  const { config } = runtime;
  const sender = createWebhookSender({
    db: runtime.db,
    logger: runtime.logger,
    concurrency: config.webhookConcurrency,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivate: config.httpRequestAllowPrivate,
    pollMs: config.webhookPollMs,
  });
  const scheduler = createScheduler({
    db: runtime.db,
    store: runtime.store,
    registry: runtime.registry,
    logger: runtime.logger,
  });
  const worker = createWorker({
    db: runtime.db,
    store: runtime.store,
    registry: runtime.registry,
    logger: runtime.logger,
    concurrency: config.workerConcurrency,
    leaseMs: config.workerLeaseMs,
    pollMs: config.workerPollMs,
    backoff: { baseMs: config.workerBackoffBaseMs, maxMs: config.workerBackoffMaxMs },
    hooks,
  });
  return {
    ...worker,
    start: () => {
      worker.start();
      sender.start();
      scheduler.start();
    },
    stop: async (graceMs) => {
      await Promise.all([worker.stop(graceMs), sender.stop(), scheduler.stop()]);
    },
  };
}

/**
 * The runner of bulk operations (§15). Every process starts one, also a WORKER_CONCURRENCY=0 one:
 * an operation takes no worker slot. Its lease is as long as a job's.
 */
export function createRuntimeBulkRunner(runtime: Runtime): BulkRunner {
  // SQLite's transactions run synchronously on the thread that opens them, so a chunk of thousands
  // of rows would stop this process's requests for as long: on SQLite the runner has a thread.
  if (runtime.db.provider === "sqlite")
    return createThreadBulkRunner({
      config: runtime.config,
      db: runtime.db,
      logger: runtime.logger,
      chunkTargetMs: SQLITE_CHUNK_TARGET_MS,
    });
  return createBulkRunner({
    db: runtime.db,
    store: runtime.store,
    registry: runtime.registry,
    logger: runtime.logger,
    leaseMs: runtime.config.workerLeaseMs,
  });
}

/**
 * How long a chunk should take on SQLite: it holds the file's one write lock, and this process's
 * other writes (a create, a claim) wait for it, so chunks stay short (runner.ts's nextChunkSize).
 */
const SQLITE_CHUNK_TARGET_MS = 50;

/** Ends every event stream and closes every connection; the worker must have stopped first. */
export async function closeRuntime(runtime: Runtime): Promise<void> {
  runtime.feed.close();
  await runtime.db.close();
}
