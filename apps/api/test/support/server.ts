import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createHmac } from "node:crypto";
import { createApp, type App } from "../../src/app.js";
import { createHttpServer } from "../../src/http/server.js";
import { signToken } from "../../src/auth/tokens.js";
import {
  bootRuntime,
  closeRuntime,
  createRuntimeBulkRunner,
  createRuntimeWorker,
  type Runtime,
} from "../../src/boot.js";
import { loadConfig } from "../../src/config.js";
import type { Provider } from "../../src/db/index.js";
import type { Worker } from "../../src/worker/worker.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";
import { openPrisma, type TestPrisma } from "./prisma.js";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

export type TestServer = {
  url: string;
  provider: Provider;
  runtime: Runtime;
  /** What the server serves: `app.lane` counts the creates that took the lean path. */
  app: App;
  database: TestDatabase;
  /** The tests' own client on the server's database, to arrange rows and look at them. */
  prisma: TestPrisma;
  /** The in-process worker, when WORKER_CONCURRENCY > 0 (as `npm start` runs it). */
  worker: Worker | undefined;
  /** A valid token for `sub`. */
  token(sub: string): string;
  /** Signs any claims, even ones jsonwebtoken would refuse to sign, with the server's HS256 key. */
  signRaw(claims: object): string;
  request(path: string, init?: RequestInit & { token?: string }): Promise<TestResponse>;
  close(): Promise<void>;
};

export type TestResponse = { status: number; headers: Headers; body: unknown; text: string };

export function signHs256(
  claims: object,
  secret: string,
  header: object = { alg: "HS256", typ: "JWT" },
): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/** The configuration test runtimes boot with: silent, a known HS256 key, no worker unless asked. */
export const testConfig = (database: TestDatabase, env: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    JWT_SECRET: TEST_JWT_SECRET,
    WORKER_CONCURRENCY: "0",
    ...env,
    DATABASE_URL: database.url,
  });

/**
 * Another process on the same database, as far as the code can tell: its own connections, signals,
 * event feed and caches. Close it with closeRuntime.
 */
export const bootSecondRuntime = (
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<Runtime> => bootRuntime(testConfig(database, env), { migrate: false });

/**
 * A real HTTP server on a free port over a fresh real database (or `database`, to share one), with
 * an in-process worker when WORKER_CONCURRENCY > 0.
 */
export async function startTestServer(
  provider: Provider,
  env: Record<string, string> = {},
  options: { database?: TestDatabase; lanes?: boolean } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase(provider));
  const config = testConfig(database, env);
  const runtime = await bootRuntime(config, { migrate: false });
  const worker = config.workerConcurrency > 0 ? createRuntimeWorker(runtime) : undefined;
  worker?.start();
  // As every process does (main.ts): bulk operations run in any process, whatever its worker.
  const bulkRunner = createRuntimeBulkRunner(runtime);
  bulkRunner.start();
  const app = createApp({ ...runtime, lanes: options.lanes ?? true });
  const server: Server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request = async (
    path: string,
    init: RequestInit & { token?: string } = {},
  ): Promise<TestResponse> => {
    const headers = new Headers(init.headers);
    if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`);
    const response = await fetch(url + path, { ...init, headers });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text };
  };

  const prisma = openPrisma(database);
  return {
    url,
    provider,
    runtime,
    app,
    database,
    prisma,
    worker,
    token: (sub) => signToken(runtime.keys, sub, 3600),
    signRaw: (claims) => signHs256(claims, TEST_JWT_SECRET),
    request,
    close: async () => {
      runtime.feed.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([worker?.stop(0), bulkRunner.stop()]);
      await closeRuntime(runtime);
      await prisma.$disconnect();
      if (!options.database) await database.drop();
    },
  };
}

/** JSON POST helper. */
export const postJson = (body: unknown, token?: string): RequestInit & { token?: string } => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
  ...(token !== undefined ? { token } : {}),
});
