/**
 * The real jobdeck server, as its users run it: the built `apps/api/dist/src/main.js` in its own
 * process, on a fresh SQLite file or PostgreSQL database, restartable on the same port and
 * database. The client's tests and the CLI's both use it (the CLI's import it from here).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export type Provider = "sqlite" | "postgresql";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const MAIN = join(REPO_ROOT, "apps/api/dist/src/main.js");
const JWT_SECRET = "client-tests-secret-long-enough-for-hs256-0123456789";
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export type ApiServer = {
  url: string;
  provider: Provider;
  /** A valid HS256 token for `sub`, an hour long. */
  token(sub: string): string;
  /** Stops the process (SIGTERM, as an operator would) and starts it again on the same port and database. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and drops its database. */
  close(): Promise<void>;
  /** What the process printed, for failure messages. */
  output(): string;
};

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** SQLite always; PostgreSQL when it answers (and CI=true insists that it does), as the API's suites do. */
export async function testProviders(): Promise<Provider[]> {
  try {
    await adminQuery("SELECT 1");
    return ["sqlite", "postgresql"];
  } catch (error) {
    if (process.env.CI === "true")
      throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}`, { cause: error });
    console.warn(`PostgreSQL is not reachable at ${PG_ADMIN_URL}: its suites are skipped`);
    return ["sqlite"];
  }
}

async function createDatabase(provider: Provider): Promise<{ url: string; drop(): Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "jobdeck-client-test-"));
    return {
      url: `file:${join(dir, "jobdeck.db")}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `jobdeck_client_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export function signToken(sub: string, secret = JWT_SECRET): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ sub, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/**
 * Starts the server; `env` adds to its environment (WORKER_CONCURRENCY is 0 unless given: jobs stay
 * pending where a test puts them).
 */
export async function startApiServer(
  provider: Provider,
  env: Record<string, string> = {},
): Promise<ApiServer> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const database = await createDatabase(provider);
  let port = 0;
  let url = "";
  let child: ChildProcess | undefined;
  let output = "";

  const start = async () => {
    const started = spawn(process.execPath, [MAIN], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: database.url,
        JWT_SECRET,
        WORKER_CONCURRENCY: "0",
        WORKER_POLL_MS: "50",
        WEBHOOK_POLL_MS: "50",
        SHUTDOWN_GRACE_MS: "1000",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    let thisRun = "";
    const listening = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        thisRun += chunk.toString();
        const match = /jobdeck is running at (http:\/\/\S+)/.exec(thisRun);
        if (match) resolve(match[1]!);
      };
      started.stdout.on("data", onData);
      started.stderr.on("data", onData);
      started.once("exit", (code) =>
        reject(new Error(`the server exited (${code}) before listening:\n${thisRun}`)),
      );
    });
    url = listening;
    port = Number(new URL(listening).port);
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    get url() {
      return url;
    },
    provider,
    token: (sub) => signToken(sub),
    restart: async ({ downMs = 0 } = {}) => {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    stop,
    start,
    close: async () => {
      await stop();
      await database.drop();
    },
    output: () => output,
  };
}
