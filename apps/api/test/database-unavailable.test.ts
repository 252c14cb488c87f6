import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { resolveTokenKeys } from "../src/auth/keys.js";
import { signToken } from "../src/auth/tokens.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/index.js";
import { createJobStore } from "../src/db/job-store/index.js";
import { createEventFeed } from "../src/events/event-feed.js";
import { createHttpServer } from "../src/http/server.js";
import { createBuiltInJobTypes, createJobTypeRegistry } from "../src/job-types/registry.js";
import { jobEventData } from "../src/jobs/mapper.js";
import { createLogger } from "../src/logger.js";
import { expectError } from "./support/assertions.js";
import { adminQuery, createTestDatabase, testProviders, type TestDatabase } from "./support/databases.js";
import {
  postJson,
  startTestServer,
  TEST_JWT_SECRET,
  type TestResponse,
  type TestServer,
} from "./support/server.js";

/**
 * Every way the database can be out of reach is a 503 UNAVAILABLE with Retry-After, on /readyz and
 * on every /v1 route that needs it, never a 500 (docs/api.md §3): nothing listening, a database that
 * refuses connections, one that was dropped, a role that may no longer log in.
 */
const providers = await testProviders();

const ID = "0190c1e0-0000-7000-8000-000000000001";

/** Answers of the routes that need the database, each expected to be a 503. */
async function expectEveryRouteUnavailable(
  request: (path: string, init?: RequestInit) => Promise<TestResponse>,
) {
  const ready = await request("/readyz");
  expectError(ready, 503, "UNAVAILABLE");
  const answers = [
    await request("/v1/jobs?limit=5"),
    await request("/v1/jobs", postJson({ type: "echo", payload: {} })),
    await request(`/v1/jobs/${ID}`),
    await request("/v1/jobs/stats"),
    await request(`/v1/jobs/${ID}/cancel`, { method: "POST" }),
    await request(`/v1/jobs/${ID}/retry`, { method: "POST" }),
    await request(`/v1/jobs/${ID}/artifact`),
    await request("/v1/events"),
  ];
  for (const answer of answers) {
    expectError(answer, 503, "UNAVAILABLE", { message: /database cannot be reached/ });
    expect(answer.headers.get("retry-after")).toBe("1");
  }
}

describe("a database that nothing answers for", () => {
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
    const logger = createLogger(config);
    const db = await openDatabase(config.databaseUrl, { logger });
    const store = createJobStore(db, { eventData: jobEventData });
    const feed = createEventFeed({ db, logger });
    const app = createApp({
      config,
      db,
      store,
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
      await db.close().catch(() => undefined);
    };
  });
  afterAll(() => close());

  it("answers 503 UNAVAILABLE on /readyz and on every /v1 route, while /healthz stays up", async () => {
    const token = signToken(keys, "alice", 60);
    const request = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      const response = await fetch(url + path, { ...init, headers });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown, text };
    };
    expect((await request("/healthz")).status).toBe(200);
    await expectEveryRouteUnavailable(request);
  });
});

describe.runIf(providers.includes("postgresql"))(
  "a PostgreSQL database that stops taking connections",
  () => {
    let server: TestServer | undefined;
    let database: TestDatabase | undefined;
    let role: string | undefined;
    const nameOf = (db: TestDatabase) => new URL(db.url).pathname.slice(1);
    /** Ends every session on the database, so that the server's pools must connect anew. */
    const disconnectAll = (name: string) =>
      adminQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
      );

    afterEach(async () => {
      await server?.close().catch(() => undefined);
      if (database) {
        await adminQuery(`ALTER DATABASE "${nameOf(database)}" ALLOW_CONNECTIONS true`).catch(
          () => undefined,
        );
        await database.drop();
      }
      if (role) {
        await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
      }
      server = database = role = undefined;
    });

    const request = (path: string, init: RequestInit = {}) =>
      server!.request(path, { ...init, token: server!.token("alice") });

    it("answers 503 while it refuses new connections (ALLOW_CONNECTIONS false, SQLSTATE 55000), and serves again after", async () => {
      database = await createTestDatabase("postgresql");
      server = await startTestServer("postgresql", {}, { database });
      expect((await request("/v1/jobs?limit=5")).status).toBe(200);
      await adminQuery(`ALTER DATABASE "${nameOf(database)}" ALLOW_CONNECTIONS false`);
      await disconnectAll(nameOf(database));
      await expectEveryRouteUnavailable(request);
      await adminQuery(`ALTER DATABASE "${nameOf(database)}" ALLOW_CONNECTIONS true`);
      expect((await request("/v1/jobs?limit=5")).status).toBe(200);
    });

    it("answers 503 once the database was dropped (SQLSTATE 3D000)", async () => {
      database = await createTestDatabase("postgresql");
      server = await startTestServer("postgresql", {}, { database });
      expect((await request("/v1/jobs?limit=5")).status).toBe(200);
      await adminQuery(`DROP DATABASE "${nameOf(database)}" WITH (FORCE)`);
      await expectEveryRouteUnavailable(request);
    });

    it("answers 503 when its role may no longer log in (SQLSTATE 28000)", async () => {
      role = `jobdeck_test_role_${randomBytes(4).toString("hex")}`;
      await adminQuery(`CREATE ROLE "${role}" LOGIN`);
      database = await createTestDatabase("postgresql");
      const name = nameOf(database);
      await adminQuery(`ALTER DATABASE "${name}" OWNER TO "${role}"`);
      // The tables were made by the admin: the role gets what the server needs of them.
      await adminQuery(`GRANT ALL ON ALL TABLES IN SCHEMA public TO "${role}"`, name);
      await adminQuery(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "${role}"`, name);
      const url = new URL(database.url);
      url.username = role;
      server = await startTestServer("postgresql", {}, { database: { ...database, url: url.toString() } });
      expect((await request("/v1/jobs?limit=5")).status).toBe(200);
      await adminQuery(`ALTER ROLE "${role}" NOLOGIN`);
      await disconnectAll(name);
      await expectEveryRouteUnavailable(request);
      // The role owns the database: it goes first, then the role (afterEach).
      await database.drop();
      database = undefined;
    });
  },
);
