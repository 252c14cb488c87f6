import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { claimBulkOperation, failBulkOperation, processBulkChunk, releaseBulkOperation, } from "../db/bulk-store/index.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { chunkActionFor } from "./actions.js";
import { bulkOperationEventData } from "./mapper.js";
/** The smallest chunk the runner shrinks to: below it, the fixed cost of a transaction dominates. */
export const MIN_CHUNK = 16;
/**
 * The next chunk's size after one of `size` jobs took `tookMs`: halved when it took more than twice
 * the target, doubled (up to `max`) when it took less than half of it, else the same.
 */
export function nextChunkSize(size, tookMs, { max, targetMs }) {
    if (tookMs > 2 * targetMs)
        return Math.max(Math.min(MIN_CHUNK, max), Math.floor(size / 2));
    if (tookMs < targetMs / 2)
        return Math.min(max, size * 2);
    return size;
}
/**
 * Runs bulk operations (§15) in this process, one at a time, outside the worker's slots: every
 * process starts one, WORKER_CONCURRENCY=0 ones too. An operation is taken with a lease
 * (db/bulk-store): accepted ones wake it through the `bulk` signal (other processes' too on
 * PostgreSQL), and a poll finds those whose runner died. Chunks follow each other with a turn of the
 * event loop between them, so requests are served meanwhile.
 */
export function createBulkRunner({ db, store, registry, logger, leaseMs, pollMs = 1_000, chunkSize = 250, chunkTargetMs, eventEveryMs = 500, failuresAllowed = 5, }) {
    const id = `${hostname()}:${process.pid}:bulk:${randomBytes(3).toString("hex")}`;
    const actions = new Map();
    const actionOf = (action) => {
        let act = actions.get(action);
        if (!act)
            actions.set(action, (act = chunkActionFor(action, { sql: db.sql, store, registry })));
        return act;
    };
    let isStopped = true;
    let loop;
    let wake;
    let current;
    /** Resolves at the next `bulk` signal, after `ms`, or at stop. */
    const idle = (ms) => new Promise((resolve) => {
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
    const run = async (operation) => {
        const act = actionOf(operation.action);
        let after;
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
                if (result.kind === "stopped")
                    return;
                if (now.getTime() - lastEventAt >= eventEveryMs)
                    lastEventAt = now.getTime();
                after = result.lastJobId;
                if (result.row.status !== "running") {
                    logger.info({ operation: operation.id, action: operation.action }, "bulk operation completed");
                    return;
                }
            }
            catch (error) {
                if (!isDatabaseUnavailable(error) && ++failures >= failuresAllowed) {
                    logger.error({ err: error, operation: operation.id }, "bulk operation failed");
                    await failBulkOperation(db, {
                        id: operation.id,
                        owner: id,
                        now: new Date(),
                        eventData: bulkOperationEventData,
                    }).catch((failError) => logger.warn({ err: failError }, "could not mark a bulk operation failed"));
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
            let operation;
            try {
                operation = await claimBulkOperation(db, { owner: id, leaseMs, now: new Date() });
            }
            catch (error) {
                logger.warn({ err: error }, "could not look for bulk operations; trying again");
            }
            if (!operation) {
                await idle(pollMs);
                continue;
            }
            current = operation.id;
            await run(operation);
            current = undefined;
        }
    };
    return {
        id,
        start: () => {
            if (!isStopped)
                return;
            isStopped = false;
            loop = runLoop();
        },
        stop: async () => {
            if (isStopped)
                return;
            isStopped = true;
            wake?.();
            const stopping = current;
            await loop;
            // Handed back, so that another process goes on at once instead of after the lease.
            if (stopping)
                await releaseBulkOperation(db, { id: stopping, owner: id }).catch((error) => logger.warn({ err: error }, "could not hand back a bulk operation"));
        },
    };
}
//# sourceMappingURL=runner.js.map