import { parentPort, workerData } from "node:worker_threads";
import { loadJobTypes } from "../job-types/load-job-types.js";
import { openDatabase } from "../db/index.js";
import { createJobStore } from "../db/job-store/index.js";
import { installValidationMessages } from "../http/validation.js";
import { jobEventData } from "../jobs/mapper.js";
import { createLogger } from "../logger.js";
import { createBulkRunner } from "./runner.js";
import { SIGNAL_CHANNELS, type FromThread, type ThreadSettings, type ToThread } from "./thread-messages.js";

/**
 * The thread a SQLite process runs its bulk operations on (thread-runner.ts says why): its own
 * connections to the same file, its own job store and job types, and a runner as any process has.
 * The signals its commits raise go to the process's main thread; the ones the main thread raises
 * ("bulk": an operation was accepted) come in.
 */
/** Looks in a row (a second apart) that find no operation before the thread says it is idle. */
const IDLE_LOOKS = 5;

const port = parentPort;
if (!port) throw new Error("bulk-operations/thread.ts runs as a worker thread");
const settings = workerData as ThreadSettings;
const post = (message: FromThread) => port.postMessage(message);

installValidationMessages();
const logger = createLogger(settings).child({ thread: "bulk" });
const booting = (async () => {
  const registry = await loadJobTypes(settings, settings.cwd);
  const db = await openDatabase(settings.databaseUrl, { logger });
  const store = createJobStore(db, { eventData: jobEventData });
  // A signal from the main thread is emitted here without being sent back.
  let isRelaying = false;
  for (const channel of SIGNAL_CHANNELS)
    db.signals.on(channel, (payload) => {
      if (!isRelaying) post({ kind: "signal", channel, payload });
    });
  const relay = (channel: (typeof SIGNAL_CHANNELS)[number], payload: string) => {
    isRelaying = true;
    try {
      db.signals.emit(channel, payload);
    } finally {
      isRelaying = false;
    }
  };
  let idleLooks = 0;
  const runner = createBulkRunner({
    id: settings.id,
    // Nothing to run for a while: the main thread ends this thread (thread-runner.ts).
    onLook: (isFound) => {
      idleLooks = isFound ? 0 : idleLooks + 1;
      if (idleLooks === IDLE_LOOKS) post({ kind: "idle" });
    },
    db,
    store,
    registry,
    logger,
    leaseMs: settings.leaseMs,
    chunkTargetMs: settings.chunkTargetMs,
  });
  return { db, runner, relay };
})();
// Without its connections the thread is of no use: it ends, and the main thread starts another.
booting.catch((error: unknown) => {
  logger.error({ err: error }, "the bulk operations thread could not start");
  process.exit(1);
});

port.on("message", (message: ToThread) => {
  void booting
    .then(async ({ db, runner, relay }) => {
      switch (message.kind) {
        case "start":
          runner.start();
          return;
        case "signal":
          relay(message.channel, message.payload);
          return;
        case "stop":
          await runner.stop();
          await db.close();
          post({ kind: "stopped" });
          return;
      }
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, "the bulk operations thread failed");
      post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
    });
});
