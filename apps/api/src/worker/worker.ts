import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Database } from "../db/index.js";
import type { JobStore } from "../db/job-store/index.js";
import { cancelRequested, hasExpiredLease, nextPendingRunAt } from "../db/queries/jobs.js";
import type { JobTypeRegistry } from "../job-types/registry.js";
import { startAttempt, type Attempt } from "./attempt.js";
import type { BackoffPolicy } from "./backoff.js";
import { startHeartbeat } from "./heartbeat.js";
import { emptyCounters, type WorkerCounters, type WorkerHooks } from "./hooks.js";

export type WorkerOptions = {
  db: Database;
  store: JobStore;
  registry: JobTypeRegistry;
  logger: Logger;
  /** Jobs run at once. */
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  backoff: BackoffPolicy;
  hooks?: WorkerHooks;
  /** How long a handler whose signal fired may take to return; default: a third of the lease. */
  abortGraceMs?: number;
  random?: () => number;
};

export type Worker = {
  /** Names this process in `leaseOwner` (host:pid:random). */
  id: string;
  counters: WorkerCounters;
  start(): void;
  /**
   * Stops claiming, lets running jobs finish for up to `graceMs`, then signals the rest to stop and
   * hands them back (pending again, the attempt not counted). Resolves once every job is written down.
   */
  stop(graceMs: number): Promise<void>;
  /** Ids of the jobs running now. */
  activeJobIds(): string[];
};

/**
 * Attempts whose outcomes are being written, at most, per slot: a slot takes its next job as soon as
 * its handler ends, while the outcome goes to the database; if writes fall behind, claims wait.
 */
const MAX_WRITING = 2;

/**
 * Claims jobs of the types this process knows, up to `concurrency` handlers at a time, and runs each as an
 * Attempt (attempt.ts: lease renewal, timeout, cancellation, outcome). It claims when told a job is
 * ready (signals), when a slot frees up, when a retry it scheduled (or saw coming) is due, and every
 * `pollMs` as the fallback; each poll also reaps jobs whose worker vanished (lease run out).
 */
export function createWorker(options: WorkerOptions): Worker {
  const { db, store, registry, concurrency } = options;
  const { signals } = db;
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const logger = options.logger.child({ worker: id });
  const counters = emptyCounters();
  const types = registry.names();
  /** Attempts until their outcome is written; `running` of them are still in their handlers. */
  const active = new Map<string, Attempt>();
  let running = 0;
  const attemptDeps = {
    onRetryScheduled: wakeAt,
    store,
    logger,
    leaseMs: options.leaseMs,
    backoff: options.backoff,
    abortGraceMs: options.abortGraceMs ?? Math.floor(options.leaseMs / 3),
    hooks: options.hooks ?? {},
    counters,
    ...(options.random ? { random: options.random } : {}),
  };

  let isStarted = false;
  let isStopping = false;
  let claimSeq = 0;
  let filling: Promise<void> | undefined;
  let wantsFill = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let nextRunTimer: NodeJS.Timeout | undefined;
  let nextRunAt = Infinity;
  let unsubscribe: (() => void)[] = [];
  let heartbeat: { stop(): Promise<void> } | undefined;

  const isClaiming = () => isStarted && !isStopping;

  /** Wakes the claim loop at `at` (a job's runAt), unless it is already due to wake earlier. */
  function wakeAt(at: number) {
    if (!isClaiming() || at >= nextRunAt) return;
    clearTimeout(nextRunTimer);
    nextRunAt = at;
    nextRunTimer = setTimeout(
      () => {
        nextRunAt = Infinity;
        wake();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /**
   * Looks one poll interval ahead for jobs that become runnable (retries scheduled by other
   * processes), so that they start on time rather than at the next poll after their runAt.
   */
  const lookAhead = async () => {
    const at = await nextPendingRunAt(db, types, new Date());
    if (at !== undefined && at - Date.now() <= options.pollMs) wakeAt(at);
  };

  const launch = (row: Parameters<typeof startAttempt>[0]) => {
    const definition = registry.get(row.type);
    if (!definition) return; // cannot happen: the claim only takes known types
    const attempt = startAttempt(row, definition, attemptDeps);
    active.set(row.id, attempt);
    running++;
    // The slot is free once the handler has ended: the next job starts while the outcome is written.
    void attempt.handlerEnded.then(() => {
      running--;
      wake();
    });
    // A slot claimed when its handler ended; only a claim that outcomes in writing held back
    // (MAX_WRITING) waits for this write. Claiming again otherwise would find nothing.
    void attempt.done.finally(() => {
      const isHeldBack = MAX_WRITING * concurrency - active.size < concurrency - running;
      active.delete(row.id);
      if (isHeldBack) wake();
    });
  };

  const fill = async () => {
    while (isClaiming() && running < concurrency && active.size < MAX_WRITING * concurrency) {
      const limit = Math.min(concurrency - running, MAX_WRITING * concurrency - active.size);
      const rows = await store.claimJobs({
        owner: `${id}#${++claimSeq}`,
        types,
        limit,
        leaseMs: options.leaseMs,
      });
      for (const row of rows) launch(row);
      if (rows.length < limit) return;
    }
  };

  function wake() {
    if (!isClaiming()) return;
    wantsFill = true;
    if (filling) return;
    filling = (async () => {
      // Jobs that end together free their slots within one turn of the event loop: waiting for the
      // turn to finish claims for all of them at once, one transaction instead of one each.
      await new Promise((resolve) => setImmediate(resolve));
      while (wantsFill && isClaiming()) {
        wantsFill = false;
        try {
          await fill();
        } catch (error) {
          // The database may be briefly unavailable: the next poll tries again.
          logger.warn({ err: error }, "could not claim jobs");
          return;
        }
      }
    })().finally(() => {
      filling = undefined;
    });
  }

  /** Moves on jobs whose worker died; a read first, so an idle poll writes nothing. */
  const reap = async () => {
    const now = new Date();
    if (!(await hasExpiredLease(db, now))) return;
    const rows = await store.reapExpiredLeases(now);
    counters.reaped += rows.length;
    for (const row of rows) {
      logger.warn({ jobId: row.id, status: row.status }, "took over a job whose lease had run out");
    }
  };

  /**
   * Cancellation requests for jobs this process runs, when no signal could bring them (other SQLite
   * processes, or a PostgreSQL listener that is reconnecting).
   */
  const checkCancellations = async () => {
    if (active.size === 0 || signals.isCrossProcess()) return;
    for (const jobId of await cancelRequested(db, [...active.keys()])) void active.get(jobId)?.checkLease();
  };

  const poll = () => {
    wake();
    Promise.all([reap(), checkCancellations(), lookAhead()]).catch((error: unknown) => {
      logger.warn({ err: error }, "worker housekeeping failed");
    });
  };

  return {
    id,
    counters,
    activeJobIds: () => [...active.keys()],

    start() {
      if (isStarted) return;
      isStarted = true;
      unsubscribe = [
        signals.on("jobs", (type) => {
          if (type === "" || registry.get(type)) wake();
        }),
        signals.on("cancel", (jobId) => {
          if (jobId === "") for (const attempt of active.values()) void attempt.checkLease();
          else void active.get(jobId)?.checkLease();
        }),
      ];
      pollTimer = setInterval(poll, options.pollMs);
      heartbeat = startHeartbeat({ db, logger, id, types, concurrency });
      logger.info({ concurrency, types }, "worker started");
      poll();
    },

    async stop(graceMs) {
      if (!isStarted || isStopping) return;
      isStopping = true;
      clearInterval(pollTimer);
      clearTimeout(nextRunTimer);
      for (const off of unsubscribe) off();
      await filling;
      const running = () => Promise.all([...active.values()].map((attempt) => attempt.done));
      if (active.size > 0) {
        logger.info({ jobs: active.size, graceMs }, "waiting for running jobs to finish");
        let graceTimer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<"grace-over">((resolve) => {
          graceTimer = setTimeout(() => resolve("grace-over"), graceMs);
        });
        const first = await Promise.race([running(), graceOver]);
        clearTimeout(graceTimer);
        if (first === "grace-over" && active.size > 0) {
          logger.warn({ jobs: [...active.keys()] }, "grace period over: handing the remaining jobs back");
          for (const attempt of active.values()) attempt.abort("shutdown");
          await running();
        }
      }
      await heartbeat?.stop();
      logger.info({ counters }, "worker stopped");
    },
  };
}
