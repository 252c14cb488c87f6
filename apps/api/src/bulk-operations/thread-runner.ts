import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Database } from "../db/index.js";
import { repoRoot } from "../paths.js";
import { bulkRunnerId, type BulkRunner } from "./runner.js";
import type { FromThread, ThreadSettings, ToThread } from "./thread-messages.js";

/** How often the main thread looks for an operation that no live runner holds (runner.ts's pollMs). */
const POLL_MS = 1_000;

/** An operation to run: running, and no live runner's (claimBulkOperation's condition, read only). */
const RUNNABLE_SQL = `SELECT 1 AS "found" FROM "bulk_operations"
  WHERE "status" = 'running' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < @now) LIMIT 1`;

/**
 * The thread's code: beside this file when it runs built; the build's copy when this runs from
 * src/ (tests), as a worker thread cannot load TypeScript.
 */
function threadEntry(): string {
  const here = fileURLToPath(new URL("./thread.js", import.meta.url));
  if (existsSync(here)) return here;
  return join(repoRoot, "apps", "api", "dist", "src", "bulk-operations", "thread.js");
}

/**
 * A bulk runner (runner.ts) on a worker thread of its own, for SQLite. better-sqlite3's statements
 * are synchronous, so on the main thread a chunk stopped every request of the process for as long
 * as its statements and its COMMIT took (tens of ms for a few hundred jobs; slicing the
 * transaction let the event loop turn between statements, not inside one). On its own thread, with
 * its own connections, a chunk holds only SQLite's write lock: reads go on beside it (WAL), and
 * this process's writes wait for the lock asynchronously, as they wait for another process's.
 *
 * The thread (25–35 MB of RSS while it runs) lives only while there is work: the main thread looks for a runnable
 * operation when one is accepted (the "bulk" signal) and once a second (one indexed read), starts
 * the thread when it finds one, and ends it when its runner has found nothing for a few seconds.
 * The thread's commits signal the main thread ("events", "cancel", "jobs", …); the main thread's
 * "bulk" signal wakes the thread's runner.
 */
export function createThreadBulkRunner({
  config,
  db,
  logger,
  chunkTargetMs,
}: {
  config: Config;
  db: Pick<Database, "read" | "signals">;
  logger: Logger;
  chunkTargetMs: number | undefined;
}): BulkRunner {
  const settings: ThreadSettings = {
    id: bulkRunnerId(),
    databaseUrl: config.databaseUrl,
    logLevel: config.logLevel,
    jobTypesModule: config.jobTypesModule,
    httpRequestAllowPrivate: config.httpRequestAllowPrivate,
    leaseMs: config.workerLeaseMs,
    chunkTargetMs,
    cwd: process.cwd(),
  };
  let isStopped = true;
  let thread: Worker | undefined;
  /** The thread being ended (idle, or stop()): resolves when it has. */
  let ending: Promise<void> | undefined;
  let onStopped: (() => void) | undefined;
  let poll: NodeJS.Timeout | undefined;
  let isLooking = false;
  // A signal that came from the thread is emitted here without being sent back.
  let isRelaying = false;
  let unlisten = () => {};

  const send = (message: ToThread) => thread?.postMessage(message);

  const spawn = () => {
    const current = new Worker(threadEntry(), { workerData: settings });
    thread = current;
    current.on("message", (message: FromThread) => {
      switch (message.kind) {
        case "signal":
          isRelaying = true;
          try {
            db.signals.emit(message.channel, message.payload);
          } finally {
            isRelaying = false;
          }
          return;
        case "idle":
          void end();
          return;
        case "stopped":
        case "failed":
          // Logged by the thread; either way there is nothing more to wait for when ending it.
          onStopped?.();
          return;
      }
    });
    current.on("error", (error) => logger.error({ err: error }, "the bulk operations thread crashed"));
    current.on("exit", () => {
      if (thread === current) thread = undefined;
      onStopped?.();
    });
    // The thread never keeps the process alive by itself: stop() ends it.
    current.unref();
    current.postMessage({ kind: "start" } satisfies ToThread);
  };

  /** Ends the thread: its runner hands its operation back, it closes its connections, it exits. */
  const end = () =>
    (ending ??= (async () => {
      const current = thread;
      if (current) {
        await new Promise<void>((resolve) => {
          onStopped = resolve;
          current.postMessage({ kind: "stop" } satisfies ToThread);
        });
        onStopped = undefined;
        thread = undefined;
        await current.terminate();
      }
      ending = undefined;
      // An operation accepted while the thread was ending (or handed back by it) is not left waiting.
      void look();
    })());

  /** Starts the thread when an operation waits for a runner and none is here. */
  const look = async () => {
    if (isStopped || thread || ending || isLooking) return;
    isLooking = true;
    try {
      const [found] = await db.read.all(RUNNABLE_SQL, { now: new Date() });
      if (found && !isStopped && !thread && !ending) spawn();
    } catch (error) {
      logger.warn({ err: error }, "could not look for bulk operations; trying again");
    } finally {
      isLooking = false;
    }
  };

  return {
    id: settings.id,
    start: () => {
      if (!isStopped) return;
      isStopped = false;
      unlisten = db.signals.on("bulk", (payload) => {
        if (isRelaying) return;
        if (thread && !ending) send({ kind: "signal", channel: "bulk", payload });
        else void look();
      });
      poll = setInterval(() => void look(), POLL_MS);
      poll.unref();
      void look();
    },
    stop: async () => {
      if (isStopped) return;
      isStopped = true;
      unlisten();
      clearInterval(poll);
      await end();
    },
  };
}
