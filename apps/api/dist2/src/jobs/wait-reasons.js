import { countRunning, countStarts, selectLiveWorkerTypes, selectQueues, } from "../db/queries/wait-state.js";
import { rowWaitReason } from "./mapper.js";
/** A worker that has not written its heartbeat for this long is gone (§11: "alive in the last 30 s"). */
export const WORKER_ALIVE_MS = 30_000;
const keyOf = (queue, key) => `${queue}\u0000${key ?? ""}`;
const tally = (counts, byKey) => {
    const map = new Map();
    for (const { queue, concurrencyKey, count } of counts) {
        const key = byKey ? keyOf(queue, concurrencyKey) : queue;
        map.set(key, (map.get(key) ?? 0) + Number(count));
    }
    return map;
};
/**
 * The first of §11's reasons that holds for a pending job whose runAt has come (backoff and
 * scheduled are the row's own, see rowWaitReason): paused, no_worker, concurrency, rate_limit, else
 * queued. A pure decision over the state read for it.
 */
export function waitReasonOf(row, state, workerTypes) {
    const queue = state.queues.get(row.queue);
    if (queue?.isPaused)
        return "paused";
    if (!workerTypes.has(row.type))
        return "no_worker";
    if (!queue)
        return "queued";
    const key = row.concurrencyKey;
    if (queue.concurrency !== null && (state.running.get(row.queue) ?? 0) >= queue.concurrency)
        return "concurrency";
    if (key !== null &&
        queue.perKeyConcurrency !== null &&
        (state.runningByKey.get(keyOf(row.queue, key)) ?? 0) >= queue.perKeyConcurrency)
        return "concurrency";
    if (queue.rateLimit !== null && (state.starts.get(row.queue) ?? 0) >= queue.rateLimit)
        return "rate_limit";
    if (key !== null &&
        queue.perKeyRateLimit !== null &&
        (state.startsByKey.get(keyOf(row.queue, key)) ?? 0) >= queue.perKeyRateLimit)
        return "rate_limit";
    return "queued";
}
/** One user's queue rows, running counts and window starts for these runnable rows: at most four reads. */
async function readQueueState(db, userId, rows, now) {
    const queues = new Map((await selectQueues(db, userId, [...new Set(rows.map((row) => row.queue))])).map((queue) => [
        queue.name,
        queue,
    ]));
    const active = [...queues.values()].filter((queue) => !queue.isPaused);
    const limited = active.filter((queue) => queue.concurrency !== null || queue.perKeyConcurrency !== null);
    const keysOf = (queue) => [
        ...new Set(rows.flatMap((row) => (row.queue === queue && row.concurrencyKey !== null ? [row.concurrencyKey] : []))),
    ];
    const windowFrom = (periodMs) => new Date(now.getTime() - periodMs);
    const queueWindows = active.flatMap((queue) => queue.rateLimit !== null && queue.ratePeriodMs !== null
        ? [{ queue: queue.name, since: windowFrom(queue.ratePeriodMs) }]
        : []);
    const keyWindows = active.flatMap((queue) => {
        const keys = keysOf(queue.name);
        return queue.perKeyRateLimit !== null && queue.perKeyRatePeriodMs !== null && keys.length > 0
            ? [{ queue: queue.name, since: windowFrom(queue.perKeyRatePeriodMs), keys }]
            : [];
    });
    const [running, starts, keyStarts] = await Promise.all([
        countRunning(db, userId, limited.map((queue) => queue.name)),
        countStarts(db, userId, queueWindows, now),
        countStarts(db, userId, keyWindows, now),
    ]);
    return {
        queues,
        running: tally(running, false),
        runningByKey: tally(running, true),
        starts: tally(starts, false),
        startsByKey: tally(keyStarts, true),
    };
}
/**
 * Why each pending job of `rows` waits, by id (§11); other statuses have no entry. The rows' own
 * reasons (backoff, scheduled) need no read; for the others a fixed number of statements is read
 * per user in `rows` (live workers once, then each user's queues, running counts and rate windows),
 * whatever the number of rows, so a page of jobs is explained in a handful of reads.
 */
export async function explainWaits({ db, rows, now = new Date(), }) {
    const reasons = new Map();
    const runnable = [];
    for (const row of rows) {
        const own = rowWaitReason(row, now.getTime());
        if (own === null)
            continue;
        if (own === "queued")
            runnable.push(row);
        else
            reasons.set(row.id, own);
    }
    if (runnable.length === 0)
        return reasons;
    const workerTypes = await selectLiveWorkerTypes(db, new Date(now.getTime() - WORKER_ALIVE_MS));
    const byUser = new Map();
    for (const row of runnable) {
        const list = byUser.get(row.userId);
        if (list)
            list.push(row);
        else
            byUser.set(row.userId, [row]);
    }
    for (const [userId, userRows] of byUser) {
        const state = await readQueueState(db, userId, userRows, now);
        for (const row of userRows)
            reasons.set(row.id, waitReasonOf(row, state, workerTypes));
    }
    return reasons;
}
//# sourceMappingURL=wait-reasons.js.map