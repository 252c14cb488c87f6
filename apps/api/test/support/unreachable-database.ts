import type { AddressInfo } from "node:net";
import { createApp } from "../../src/app.js";
import { resolveTokenKeys } from "../../src/auth/keys.js";
import { signToken } from "../../src/auth/tokens.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/index.js";
import { createJobStore } from "../../src/db/job-store/index.js";
import { createEventFeed } from "../../src/events/event-feed.js";
import { createHttpServer } from "../../src/http/server.js";
import { createBuiltInJobTypes, createJobTypeRegistry } from "../../src/job-types/registry.js";
import { jobEventData } from "../../src/jobs/mapper.js";
import { createLogger } from "../../src/logger.js";
import { TEST_JWT_SECRET } from "./server.js";

export type ServerWithoutDatabase = { url: string; token(sub: string): string; close(): Promise<void> };

/**
 * A real server whose PostgreSQL database nothing answers for (nothing listens on port 1): every
 * route that needs the database, and the rate limits that count in it, answer 503.
 */
export async function startServerWithoutDatabase(): Promise<ServerWithoutDatabase> {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    JWT_SECRET: TEST_JWT_SECRET,
    WORKER_CONCURRENCY: "0",
    DATABASE_URL: "postgresql://postgres@127.0.0.1:1/jobdeck",
  });
  const keys = resolveTokenKeys(config);
  const logger = createLogger(config);
  const db = await openDatabase(config.databaseUrl, { logger });
  const feed = createEventFeed({ db, logger });
  const app = createApp({
    config,
    db,
    store: createJobStore(db, { eventData: jobEventData }),
    feed,
    keys,
    registry: createJobTypeRegistry(createBuiltInJobTypes({ httpRequestAllowPrivate: false })),
    cursorKey: Buffer.alloc(32),
    logger,
  });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: (sub) => signToken(keys, sub, 3600),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      feed.close();
      await db.close().catch(() => undefined);
    },
  };
}
