import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../src/paths.js";
import { TEST_JWT_SECRET } from "./server.js";

export const distEntry = (name: string) => join(repoRoot, "apps/api/dist/src", name);

export type RunningProcess = {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first stdout/stderr match of `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
};

/** Starts a built entry point (`npm run build` first) as its own process, as `npm start` would. */
export function startProcess(script: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (listeners.has(check)) {
            check();
            if (listeners.has(check)) {
              listeners.delete(check);
              clearTimeout(timer);
              reject(new Error(`process exited before ${pattern}; output:\n${output}`));
            }
          }
        });
        check();
      }),
  };
}

/** The built `npm run worker` entry point. */
export const WORKER_MAIN = distEntry("worker-main.js");

/**
 * Refuses to test a stale build: the built worker must be newer than each source (paths relative
 * to apps/api/src), or the processes would run yesterday's code.
 */
export function assertWorkerBuilt(sources: string[]): void {
  for (const source of sources) {
    const path = join(repoRoot, "apps/api/src", source);
    if (!existsSync(WORKER_MAIN) || statSync(WORKER_MAIN).mtimeMs < statSync(path).mtimeMs)
      throw new Error(`${WORKER_MAIN} is missing or older than ${source}: run npx turbo run build first`);
  }
}

/**
 * Starts a worker process (`node dist/src/worker-main.js`) on `databaseUrl`, as `npm run worker`
 * would, with the test's signing key and a short poll, and waits until it says it is running.
 * `env` adds to or overrides those (WORKER_CONCURRENCY, JOB_TYPES_MODULE, …).
 */
export async function startWorkerProcess(
  databaseUrl: string,
  env: Record<string, string>,
): Promise<RunningProcess> {
  const worker = startProcess(WORKER_MAIN, [], {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    WORKER_POLL_MS: "50",
    ...env,
  });
  await worker.waitFor(/is running/).catch((error: unknown) => {
    worker.child.kill("SIGKILL");
    throw error;
  });
  return worker;
}
