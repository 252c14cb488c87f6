import { bootOrExit, configOrExit, createRuntimeBulkRunner, createRuntimeWorker } from "./boot.js";
import { processEnvironment } from "./config.js";
import { startHousekeeping } from "./housekeeping.js";
import { stopOnSignals } from "./shutdown.js";
/**
 * `npm run worker`: a process that only runs jobs, beside the server's own worker, on the same
 * database (DATABASE_URL).
 */
const config = configOrExit(processEnvironment());
if (config.workerConcurrency === 0) {
    console.error("jobdeck worker: WORKER_CONCURRENCY is 0, so this process would run nothing");
    process.exit(1);
}
const runtime = await bootOrExit(config);
const worker = createRuntimeWorker(runtime);
worker.start();
const bulkRunner = createRuntimeBulkRunner(runtime);
bulkRunner.start();
const housekeeping = startHousekeeping({
    db: runtime.db,
    logger: runtime.logger,
    eventRetentionMs: config.eventRetentionMs,
    webhookRetentionMs: config.webhookRetentionMs,
    retentionSweepMs: config.retentionSweepMs,
});
stopOnSignals({ runtime, worker, bulkRunner, housekeeping });
console.log(`jobdeck worker ${worker.id} is running up to ${config.workerConcurrency} jobs at a time (${runtime.db.provider})`);
//# sourceMappingURL=worker-main.js.map