import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { signToken } from "./auth/tokens.js";
import { bootOrExit, closeRuntime, configOrExit, createRuntimeWorker } from "./boot.js";
import { processEnvironment } from "./config.js";
import { startHousekeeping } from "./housekeeping.js";
import { createHttpServer } from "./http/server.js";

const DEMO_USER = "demo";
const DEMO_TOKEN_TTL_SECONDS = 24 * 3600;
/** Beyond the jobs' grace period: time to hand jobs back and close connections. */
const SHUTDOWN_SLACK_MS = 10_000;

const config = configOrExit(processEnvironment());
const runtime = await bootOrExit(config);
const { logger, db, keys } = runtime;

const server = createHttpServer(createApp(runtime));
server.listen(config.port, config.host);
await once(server, "listening");

const worker = config.workerConcurrency > 0 ? createRuntimeWorker(runtime) : undefined;
worker?.start();
const housekeeping = startHousekeeping({
  store: runtime.store,
  logger,
  eventRetentionMs: config.eventRetentionMs,
});

const { port } = server.address() as AddressInfo;
const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
const where = db.provider === "sqlite" ? `SQLite ${db.location}` : "PostgreSQL";
console.log(`jobdeck is running at ${url} (${where})`);
console.log(`API reference: ${url}/docs`);
console.log(
  worker
    ? `Running up to ${config.workerConcurrency} jobs at a time`
    : "Running no jobs here (WORKER_CONCURRENCY=0)",
);
if (!config.isProduction && keys.signKey) {
  const token = signToken(keys, DEMO_USER, DEMO_TOKEN_TTL_SECONDS);
  console.log(`Sign in as "${DEMO_USER}" (valid 24 h): ${url}/#token=${token}`);
}

/**
 * Stop taking requests and jobs; let running jobs finish within SHUTDOWN_GRACE_MS and hand back the
 * rest; end event streams (clients reconnect elsewhere with Last-Event-ID); then exit.
 */
let isStopping = false;
async function shutdown(signal: string) {
  if (isStopping) return;
  isStopping = true;
  logger.info({ signal }, "shutting down");
  const forced = setTimeout(() => {
    logger.warn("shutdown took too long; exiting");
    process.exit(1);
  }, config.shutdownGraceMs + SHUTDOWN_SLACK_MS).unref();
  server.close();
  runtime.feed.close();
  server.closeIdleConnections();
  housekeeping.stop();
  await worker?.stop(config.shutdownGraceMs);
  await closeRuntime(runtime);
  clearTimeout(forced);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
