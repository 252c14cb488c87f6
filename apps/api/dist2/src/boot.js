import { resolveTokenKeys } from "./auth/keys.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/index.js";
import { createJobStore } from "./db/job-store/index.js";
import { migrateDatabase } from "./db/migrate.js";
import { sharedSecret } from "./db/settings.js";
import { createEventFeed } from "./events/event-feed.js";
import { installValidationMessages } from "./http/validation.js";
import { loadJobTypesModule } from "./job-types/load-module.js";
import { createBuiltInJobTypes, createJobTypeRegistry, JobTypeError, } from "./job-types/registry.js";
import { jobEventData } from "./jobs/mapper.js";
import { createBulkRunner } from "./bulk-operations/runner.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics/metrics.js";
import { metricsHooks } from "./metrics/worker-hooks.js";
import { createScheduler } from "./schedules/scheduler.js";
import { createWebhookSender } from "./webhooks/sender.js";
import { createWorker } from "./worker/worker.js";
/** Reads the environment or stops the process with one line naming the bad variable (docs/api.md §1.2). */
export function configOrExit(env) {
    try {
        return loadConfig(env);
    }
    catch (error) {
        if (error instanceof ConfigError) {
            console.error(`jobdeck: invalid configuration: ${error.message}`);
            process.exit(1);
        }
        throw error;
    }
}
/** The built-in job types and those of JOB_TYPES_MODULE, checked alike. */
export async function loadJobTypes(config, cwd = process.cwd()) {
    const builtIn = createBuiltInJobTypes({ httpRequestAllowPrivate: config.httpRequestAllowPrivate });
    if (!config.jobTypesModule)
        return createJobTypeRegistry(builtIn);
    try {
        return createJobTypeRegistry([...builtIn, ...(await loadJobTypesModule(config.jobTypesModule, cwd))]);
    }
    catch (error) {
        if (error instanceof JobTypeError) {
            throw new JobTypeError(`JOB_TYPES_MODULE ${config.jobTypesModule}: ${error.message}`, { cause: error });
        }
        throw error;
    }
}
/** bootRuntime with migrations, or a one-line message and exit 1 when the job types are unusable. */
export async function bootOrExit(config) {
    try {
        return await bootRuntime(config, { migrate: true });
    }
    catch (error) {
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
export const writePoolSize = (workerConcurrency) => Math.min(10, Math.max(10, workerConcurrency + 2));
/** Everything a server or worker process needs, shared by main.ts and worker-main.ts. */
export async function bootRuntime(config, options) {
    // Before any schema parses anything: the API and the worker word validation errors alike.
    installValidationMessages();
    const logger = createLogger(config);
    const keys = resolveTokenKeys(config);
    const registry = await loadJobTypes(config);
    if (options.migrate) {
        const applied = await migrateDatabase(config.databaseUrl);
        if (applied.length > 0)
            logger.info({ migrations: applied }, "applied database migrations");
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
export function createRuntimeWorker(runtime, hooks = metricsHooks(runtime.metrics)) {
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
export function createRuntimeBulkRunner(runtime) {
    return createBulkRunner({
        db: runtime.db,
        store: runtime.store,
        registry: runtime.registry,
        logger: runtime.logger,
        leaseMs: runtime.config.workerLeaseMs,
        // SQLite's transactions run on the event loop: requests wait behind a chunk, so chunks stay short.
        chunkTargetMs: runtime.db.provider === "sqlite" ? 50 : undefined,
    });
}
/** Ends every event stream and closes every connection; the worker must have stopped first. */
export async function closeRuntime(runtime) {
    runtime.feed.close();
    await runtime.db.close();
}
//# sourceMappingURL=boot.js.map