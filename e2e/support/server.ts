/**
 * Starts the REAL built server (`node apps/api/dist/src/main.js`, which also serves the built
 * dashboard and runs WORKER_CONCURRENCY jobs at a time) on a free port over a fresh SQLite file.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "apps/api/dist/src/main.js");
const TOKEN_CLI = join(ROOT, "apps/api/dist/src/cli/token.js");

export type Server = {
  baseUrl: string;
  /** The link the server prints: `<baseUrl>/#token=<JWT for "demo">`. */
  signInUrl: string;
  demoToken: string;
  /** A token for `sub`, minted by `npm run token`'s script with this server's key. */
  mint: (sub: string) => Promise<string>;
  stop: () => Promise<void>;
};

export function assertBuilt(): void {
  for (const built of [MAIN, TOKEN_CLI, join(ROOT, "apps/web/dist/index.html")]) {
    if (!existsSync(built))
      throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
}

export async function startServer(name: string, settings: Record<string, string>): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), `jobdeck-e2e-${name}-`));
  const env = {
    ...process.env,
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: `file:${join(dataDir, "e2e.db")}`,
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: "100000",
    LOG_LEVEL: "warn",
    ...settings,
  };
  const server = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const signInUrl = await printedSignInLink(name, server);
    const mint = async (sub: string) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [TOKEN_CLI, "--sub", sub, "--ttl", "2h"],
        { env },
      );
      return stdout.trim();
    };
    return {
      baseUrl: new URL(signInUrl).origin,
      signInUrl,
      demoToken: new URLSearchParams(new URL(signInUrl).hash.slice(1)).get("token") ?? "",
      mint,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function printedSignInLink(name: string, server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`the ${name} server printed no sign-in link in 30 s:\n${output}`)),
      30_000,
    );
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const link = /Sign in as "demo" \(valid 24 h\): (\S+)/.exec(output)?.[1];
      if (link) {
        clearTimeout(timer);
        resolve(link);
      }
    });
    server.once("exit", (code) =>
      reject(new Error(`the ${name} server exited (${code}) before it was ready:\n${output}`)),
    );
  });
}
