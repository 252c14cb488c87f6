import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { BulkAction } from "@jobdeck/contract";
import type { Logger } from "pino";
import {
  claimBulkOperation,
  failBulkOperation,
  processBulkChunk,
  releaseBulkOperation,
} from "../db/bulk-store/index.js";
import type { Database } from "../db/index.js";
import type { JobStore } from "../db/job-store/index.js";
import type { BulkOperationRow } from "../db/rows.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import type { JobTypeRegistry } from "../job-types/registry.js";
import { chunkActionFor } from "./actions.js";
import { bulkOperationEventData } from "./mapper.js";

export type BulkRunnerOptions = {
  /** Who holds an operation's lease (bulk_operations.leaseOwner); a fresh one by default. */
  id?: string;
  db: Database;
  store: JobStore;
  registry: JobTypeRegistry;
  logger: Logger;
  /** How long an operation stays this runner's without a chunk; after a crash, another takes it then. */
  leaseMs: number;
  /** How often to look for an operation nobody runs (other processes' on SQLite, taken-over ones). */
  pollMs?: number;
  /**
   * Jobs per chunk (one transaction) at most. On SQLite a transaction runs on the event loop, so a
   * chunk is as long as an API request may wait behind it: 250 jobs took about 10 ms here on a calm
   * machine (bench R17), many times that on a busy one. So the size follows how long chunks take
   * (nextChunkSize), between MIN_CHUNK and this.
   */
  chunkSize?: number;
  /**
   * How long a chunk should take; longer ones make the next smaller. Undefined: every chunk is
   * `chunkSize`, for a database whose transactions do not hold the event loop (PostgreSQL's are
   * awaited on the network), where smaller chunks would only make the operation slower.
   */
  chunkTargetMs?: number | undefined;
  /** A `bulk-operation` event at most this often while it runs (the spec asks for one a second). */
  eventEveryMs?: number;
  /** Chunks in a row that may fail (the database aside) before the operation is failed. */
  failuresAllowed?: number;
  /** Called each time the runner has looked for an operation to run: whether it found one. */
  onLook?: (isFound: boolean) => void;
};

export type BulkRunner = { id: string; start(): void; stop(): Promise<void> };

/** A runner's name in the leases it takes: host, process and a random part. */
export const bulkRunnerId = (): string =>
  `${hostname()}:${process.pid}:bulk:${randomBytes(3).toString("hex")}`;

/** The smallest chunk the runner shrinks to: below it, the fixed cost of a transaction dominates. */
export const MIN_CHUNK = 16;

/**
 * The next chunk's size after one of `size` jobs took `tookMs`: halved when it took more than twice
 * the target, doubled (up to `max`) when it took less than half of it, else the same.
 */
export function nextChunkSize(
  size: number,
  tookMs: number,
  { max, targetMs }: { max: number; targetMs: number },
) {
  if (tookMs > 2 * targetMs) return Math.max(Math.min(MIN_CHUNK, max), Math.floor(size / 2));
  if (tookMs < targetMs / 2) return Math.min(max, size * 2);
  return size;
}

/**
 * Runs bulk operations (§15) in this process, one at a time, outside the worker's slots: every
 * process starts one, WORKER_CONCURRENCY=0 ones too. An operation is taken with a lease
 * (db/bulk-store): accepted ones wake it through the `bulk` signal (other processes' too on
 * PostgreSQL), and a poll finds those whose runner died. Chunks follow each other with a turn of the
 * event loop between them, so requests are served meanwhile.
 */
export function createBulkRunner({
  id = bulkRunnerId(),
  db,
  store,
  registry,
  logger,
  leaseMs,
  pollMs = 1_000,
  chunkSize = 250,
  chunkTargetMs,
  eventEveryMs = 500,
  failuresAllowed = 5,
  onLook,
}: BulkRunnerOptions): BulkRunner {
  const actions = new Map<BulkAction, ReturnType<typeof chunkActionFor>>();
  const actionOf = (action: BulkAction) => {
    let act = actions.get(action);
    if (!act) actions.set(action, (act = chunkActionFor(action, { sql: db.sql, store, registry })));
    return act;
  };
  let isStopped = true;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let current: string | undefined;

  /** Resolves at the next `bulk` signal, after `ms`, or at stop (at once when stopped already). */
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (isStopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      const off = db.signals.on("bulk", done);
      wake = done;
      function done() {
        clearTimeout(timer);
        off();
        wake = undefined;
        resolve();
      }
    });

  const run = async (operation: BulkOperationRow) => {
    const act = actionOf(operation.action as BulkAction);
    let after: string | undefined;
    // A new runner (a takeover) says where the operation stands at once.
    let lastEventAt = operation.succeeded + operation.skipped === 0 ? Date.now() : 0;
    let failures = 0;
    let size = chunkSize;
    while (!isStopped) {
      const now = new Date();
      const started = performance.now();
      try {
        const result = await processBulkChunk(db, {
          id: operation.id,
          owner: id,
          leaseMs,
          now,
          after,
          limit: size,
          act,
          eventData: bulkOperationEventData,
          isEventDue: now.getTime() - lastEventAt >= eventEveryMs,
        });
        failures = 0;
        if (chunkTargetMs !== undefined)
          size = nextChunkSize(size, performance.now() - started, {
            max: chunkSize,
            targetMs: chunkTargetMs,
          });
        if (result.kind === "stopped") return;
        if (now.getTime() - lastEventAt >= eventEveryMs) lastEventAt = now.getTime();
        after = result.lastJobId;
        if (result.row.status !== "running") {
          logger.info({ operation: operation.id, action: operation.action }, "bulk operation completed");
          return;
        }
      } catch (error) {
        if (!isDatabaseUnavailable(error) && ++failures >= failuresAllowed) {
          logger.error({ err: error, operation: operation.id }, "bulk operation failed");
          await failBulkOperation(db, {
            id: operation.id,
            owner: id,
            now: new Date(),
            eventData: bulkOperationEventData,
          }).catch((failError: unknown) =>
            logger.warn({ err: failError }, "could not mark a bulk operation failed"),
          );
          return;
        }
        logger.warn({ err: error, operation: operation.id }, "a bulk operation chunk failed; trying again");
        await idle(pollMs);
        continue;
      }
      // One turn of the event loop between chunks: requests waiting for it are served first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const runLoop = async () => {
    while (!isStopped) {
      let operation: BulkOperationRow | undefined;
      try {
        operation = await claimBulkOperation(db, { owner: id, leaseMs, now: new Date() });
      } catch (error) {
        logger.warn({ err: error }, "could not look for bulk operations; trying again");
      }
      onLook?.(operation !== undefined);
      if (!operation) {
        await idle(pollMs);
        continue;
      }
      current = operation.id;
      await run(operation);
      // Stopped meanwhile (even during the claim): stop hands it back.
      if (!isStopped) current = undefined;
    }
  };

  return {
    id,
    start: () => {
      if (!isStopped) return;
      isStopped = false;
      loop = runLoop();
    },
    stop: async () => {
      if (isStopped) return;
      isStopped = true;
      wake?.();
      await loop;
      const stopping = current;
      current = undefined;
      // Handed back, so that another process goes on at once instead of after the lease.
      if (stopping)
        await releaseBulkOperation(db, { id: stopping, owner: id }).catch((error: unknown) =>
          logger.warn({ err: error }, "could not hand back a bulk operation"),
        );
    },
  };
}
