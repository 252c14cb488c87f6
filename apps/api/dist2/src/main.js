import { once } from "node:events";
import { createApp } from "./app.js";
import { signToken } from "./auth/tokens.js";
import { bootOrExit, configOrExit, createRuntimeBulkRunner, createRuntimeWorker } from "./boot.js";
import { processEnvironment } from "./config.js";
import { startHousekeeping } from "./housekeeping.js";
import { createHttpServer } from "./http/server.js";
import { stopOnSignals } from "./shutdown.js";
const DEMO_USER = "demo";
const DEMO_TOKEN_TTL_SECONDS = 24 * 3600;
const config = configOrExit(processEnvironment());
const runtime = await bootOrExit(config);
const { logger, db, keys } = runtime;
const server = createHttpServer(createApp(runtime));
server.listen(config.port, config.host);
await once(server, "listening");
const worker = config.workerConcurrency > 0 ? createRuntimeWorker(runtime) : undefined;
worker?.start();
const bulkRunner = createRuntimeBulkRunner(runtime);
bulkRunner.start();
const housekeeping = startHousekeeping({
    db,
    logger,
    eventRetentionMs: config.eventRetentionMs,
    webhookRetentionMs: config.webhookRetentionMs,
    retentionSweepMs: config.retentionSweepMs,
});
stopOnSignals({ runtime, worker, bulkRunner, housekeeping, server });
const { port } = server.address();
const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
const where = db.provider === "sqlite" ? `SQLite ${db.location}` : "PostgreSQL";
console.log(`jobdeck is running at ${url} (${where})`);
console.log(`API reference: ${url}/docs`);
console.log(worker
    ? `Running up to ${config.workerConcurrency} jobs at a time`
    : "Running no jobs here (WORKER_CONCURRENCY=0)");
if (!config.isProduction && keys.signKey) {
    const token = signToken(keys, DEMO_USER, DEMO_TOKEN_TTL_SECONDS);
    console.log(`Sign in as "${DEMO_USER}" (valid 24 h): ${url}/#token=${token}`);
}
//# sourceMappingURL=main.js.map