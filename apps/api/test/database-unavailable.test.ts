import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { resolveTokenKeys } from "../src/auth/keys.js";
import { signToken } from "../src/auth/tokens.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { createHttpServer } from "../src/http/server.js";
import { openJobStore } from "../src/db/job-store/index.js";
import { openSignals } from "../src/db/signals.js";
import { createEventFeed } from "../src/events/event-feed.js";
import { createBuiltInJobTypes, createJobTypeRegistry } from "../src/job-types/registry.js";
import { createLogger } from "../src/logger.js";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { postJson, startTestServer, TEST_JWT_SECRET, type TestServer } from "./support/server.js";

const providers = await testProviders();

describe("a database that cannot be reached", () => {
  // Nothing listens on port 1: every query fails to connect.
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: "postgresql://postgres@127.0.0.1:1/jobdeck",
  });
  let url: string;
  let close: () => Promise<void>;
  const keys = resolveTokenKeys(config);

  beforeAll(async () => {
    const db = await openDatabase(config.databaseUrl);
    const logger = createLogger(config);
    const signals = openSignals(db, logger);
    const store = openJobStore(db, { signals, logger });
    const feed = createEventFeed({ db, signals, logger });
    const app = createApp({
      config,
      db,
      store,
      signals,
      feed,
      keys,
      registry: createJobTypeRegistry(createBuiltInJobTypes({ httpRequestAllowPrivate: false })),
      cursorKey: Buffer.alloc(32),
      logger,
    });
    const server = createHttpServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      feed.close();
      await signals.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      await db.close().catch(() => undefined);
    };
  });
  afterAll(() => close());

  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(url + path, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown, text };
  };

  it("answers 503 UNAVAILABLE on /readyz and on every /v1 route, while /healthz stays up", async () => {
    expect((await request("/healthz")).status).toBe(200);
    const ready = await request("/readyz");
    expectError(ready, 503, "UNAVAILABLE");
    const token = signToken(keys, "alice", 60);
    const headers = { authorization: `Bearer ${token}` };
    expectError(await request("/v1/jobs?limit=5", { headers }), 503, "UNAVAILABLE");
    const create = await request("/v1/jobs", {
      ...postJson({ type: "echo", payload: {} }),
      headers: { ...headers, "content-type": "application/json" },
    });
    expectError(create, 503, "UNAVAILABLE");
    expect(create.headers.get("retry-after")).toBe("1");
  });
});

describe.each(providers)("an unexpected failure on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider);
  });
  afterAll(() => server.close());

  it("answers 500 INTERNAL_ERROR with no stack trace, SQL or file path in the body", async () => {
    // A schema that lost its table: a bug or an operator's mistake, never the client's fault.
    await server.runtime.db.prisma.$executeRawUnsafe(`DROP TABLE "jobs"`);
    const response = await server.request("/v1/jobs?limit=5", { token: server.token("alice") });
    const body = expectError(response, 500, "INTERNAL_ERROR", {
      message: "Something went wrong on our side",
    });
    expect(body.error.details).toBeUndefined();
    expect(response.text).not.toMatch(/jobs|SELECT|\/work\/|\.ts|\.js|at /);
  });
});
