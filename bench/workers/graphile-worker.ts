import { Logger, run, type Task } from "graphile-worker";
import { reportStart, type NoopPayload } from "./report-start.js";

/**
 * graphile-worker as R5 and R6 run it: its defaults but for the concurrency (the same as
 * jobdeck's) and a quiet logger, with one no-op task. It creates its schema on the database at
 * start, as `graphile-worker` does.
 */
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? "8");

const noop: Task = (payload) => {
  reportStart(payload as NoopPayload);
  return Promise.resolve();
};

/** Only what goes wrong: its info lines (one per job at most levels) would cost the worker time. */
const logger = new Logger(() => (level, message) => {
  const name = level as string;
  if (name === "error" || name === "warning") console.error(`graphile-worker ${name}: ${message}`);
});

const runner = await run({
  connectionString: process.env.DATABASE_URL,
  concurrency,
  noHandleSignals: true,
  logger,
  taskList: { noop },
});
console.log(`graphile-worker is running up to ${concurrency} jobs at a time`);

let isStopping = false;
process.on("SIGTERM", () => {
  if (isStopping) return;
  isStopping = true;
  void runner.stop().then(() => process.exit(0));
});
