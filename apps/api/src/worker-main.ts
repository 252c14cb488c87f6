import { bootOrExit, closeRuntime, configOrExit, createRuntimeWorker } from "./boot.js";
import { processEnvironment } from "./config.js";
import { startHousekeeping } from "./housekeeping.js";

/**
 * `npm run worker`: a process that only runs jobs, beside the server's own worker, on the same
 * database (DATABASE_URL). SIGTERM: stop claiming, let running jobs finish within SHUTDOWN_GRACE_MS,
 * hand back the rest, exit.
 */
const SHUTDOWN_SLACK_MS = 10_000;

const config = configOrExit(processEnvironment());
if (config.workerConcurrency === 0) {
  console.error("jobdeck worker: WORKER_CONCURRENCY is 0, so this process would run nothing");
  process.exit(1);
}
const runtime = await bootOrExit(config);
const worker = createRuntimeWorker(runtime);
worker.start();
const housekeeping = startHousekeeping({
  store: runtime.store,
  logger: runtime.logger,
  eventRetentionMs: config.eventRetentionMs,
});
console.log(
  `jobdeck worker ${worker.id} is running up to ${config.workerConcurrency} jobs at a time (${runtime.db.provider})`,
);

let isStopping = false;
async function shutdown(signal: string) {
  if (isStopping) return;
  isStopping = true;
  runtime.logger.info({ signal }, "shutting down");
  const forced = setTimeout(() => {
    runtime.logger.warn("shutdown took too long; exiting");
    process.exit(1);
  }, config.shutdownGraceMs + SHUTDOWN_SLACK_MS).unref();
  housekeeping.stop();
  await worker.stop(config.shutdownGraceMs);
  await closeRuntime(runtime);
  clearTimeout(forced);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
