import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { signToken } from "./auth/tokens.js";
import { bootRuntime, configOrExit } from "./boot.js";
import { startHousekeeping } from "./housekeeping.js";
import { createHttpServer } from "./http/server.js";

const DEMO_USER = "demo";
const DEMO_TOKEN_TTL_SECONDS = 24 * 3600;
const SHUTDOWN_GRACE_MS = 10_000;

const config = configOrExit(process.env);
const runtime = await bootRuntime(config, { migrate: true });
const { logger, db, keys } = runtime;

const server = createHttpServer(createApp(runtime));
const housekeeping = startHousekeeping({ db, logger });
server.listen(config.port, config.host);
await once(server, "listening");

const { port } = server.address() as AddressInfo;
const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
const where = db.provider === "sqlite" ? `SQLite ${db.location}` : "PostgreSQL";
console.log(`jobdeck is running at ${url} (${where})`);
console.log(`API reference: ${url}/docs`);
if (!config.isProduction && keys.signKey) {
  const token = signToken(keys, DEMO_USER, DEMO_TOKEN_TTL_SECONDS);
  console.log(`Sign in as "${DEMO_USER}" (valid 24 h): ${url}/#token=${token}`);
}

let isStopping = false;
async function shutdown(signal: string) {
  if (isStopping) return;
  isStopping = true;
  logger.info({ signal }, "shutting down");
  const forced = setTimeout(() => {
    logger.warn("grace period over; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  housekeeping.stop();
  server.close();
  server.closeIdleConnections();
  await db.close();
  clearTimeout(forced);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
