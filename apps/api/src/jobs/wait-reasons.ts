import type { WaitReason } from "@jobdeck/contract";
import type { Database } from "../db/index.js";
import type { CreatedWaits } from "../db/job-store/index.js";
import {
  countRunning,
  countStarts,
  selectLiveWorkerTypes,
  selectQueues,
  workerTypesOf,
  type KeyCount,
} from "../db/queries/wait-state.js";
import type { JobRow } from "../db/rows.js";
import { rowWaitReason } from "./mapper.js";

/** A worker that has not written its heartbeat for this long is gone (§11: "alive in the last 30 s"). */
export const WORKER_ALIVE_MS = 30_000;

/** What a job's reason depends on. */
export type WaitRow = Pick<
  JobRow,
  "id" | "userId" | "type" | "status" | "attempts" | "runAt" | "queue" | "concurrencyKey"
>;

const keyOf = (queue: string, key: string | null) => `${queue}\u0000${key ?? ""}`;

/** What one user's queues look like now, as far as the rows to explain need it. */
type QueueState = {
  queues: Map<string, CreatedWaits["queue"]>;
  running: Map<string, number>;
  runningByKey: Map<string, number>;
  starts: Map<string, number>;
  startsByKey: Map<string, number>;
};

const tally = (counts: KeyCount[], byKey: boolean) => {
  const map = new Map<string, number>();
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
export function waitReasonOf(row: WaitRow, state: QueueState, workerTypes: Set<string>): WaitReason {
  const queue = state.queues.get(row.queue);
  if (queue?.isPaused) return "paused";
  if (!workerTypes.has(row.type)) return "no_worker";
  if (!queue) return "queued";
  const key = row.concurrencyKey;
  if (queue.concurrency !== null && (state.running.get(row.queue) ?? 0) >= queue.concurrency)
    return "concurrency";
  if (
    key !== null &&
    queue.perKeyConcurrency !== null &&
    (state.runningByKey.get(keyOf(row.queue, key)) ?? 0) >= queue.perKeyConcurrency
  )
    return "concurrency";
  if (queue.rateLimit !== null && (state.starts.get(row.queue) ?? 0) >= queue.rateLimit) return "rate_limit";
  if (
    key !== null &&
    queue.perKeyRateLimit !== null &&
    (state.startsByKey.get(keyOf(row.queue, key)) ?? 0) >= queue.perKeyRateLimit
  )
    return "rate_limit";
  return "queued";
}

/**
 * The reason of a job just created, from what its write read (JobStore.insertJobAndExplain); undefined
 * when that is not enough: in a queue with limits, its running jobs and starts must be counted.
 */
export function explainCreated(row: WaitRow, { workerTypes, queue }: CreatedWaits): WaitReason | undefined {
  const empty = new Map<string, number>();
  const state: QueueState = {
    queues: new Map([[row.queue, queue]]),
    running: empty,
    runningByKey: empty,
    starts: empty,
    startsByKey: empty,
  };
  const reason = waitReasonOf(row, state, workerTypesOf(workerTypes));
  const hasLimits = [queue.concurrency, queue.perKeyConcurrency, queue.rateLimit, queue.perKeyRateLimit].some(
    (limit) => limit !== null,
  );
  // With nothing counted, no limit holds it back: "queued" is only sure where there are none.
  return reason === "queued" && hasLimits ? undefined : reason;
}

/** One user's queue rows, running counts and window starts for these runnable rows: at most four reads. */
async function readQueueState(
  db: Pick<Database, "read" | "sql">,
  userId: string,
  rows: WaitRow[],
  now: Date,
): Promise<QueueState> {
  const queues = new Map(
    (await selectQueues(db, userId, [...new Set(rows.map((row) => row.queue))])).map((queue) => [
      queue.name,
      queue,
    ]),
  );
  const active = [...queues.values()].filter((queue) => !queue.isPaused);
  const limited = active.filter((queue) => queue.concurrency !== null || queue.perKeyConcurrency !== null);
  const keysOf = (queue: string) => [
    ...new Set(
      rows.flatMap((row) => (row.queue === queue && row.concurrencyKey !== null ? [row.concurrencyKey] : [])),
    ),
  ];
  const windowFrom = (periodMs: number) => new Date(now.getTime() - periodMs);
  const queueWindows = active.flatMap((queue) =>
    queue.rateLimit !== null && queue.ratePeriodMs !== null
      ? [{ queue: queue.name, since: windowFrom(queue.ratePeriodMs) }]
      : [],
  );
  const keyWindows = active.flatMap((queue) => {
    const keys = keysOf(queue.name);
    return queue.perKeyRateLimit !== null && queue.perKeyRatePeriodMs !== null && keys.length > 0
      ? [{ queue: queue.name, since: windowFrom(queue.perKeyRatePeriodMs), keys }]
      : [];
  });
  const [running, starts, keyStarts] = await Promise.all([
    countRunning(
      db,
      userId,
      limited.map((queue) => queue.name),
    ),
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
export async function explainWaits({
  db,
  rows,
  now = new Date(),
}: {
  db: Pick<Database, "read" | "sql">;
  rows: readonly WaitRow[];
  now?: Date;
}): Promise<Map<string, WaitReason>> {
  const reasons = new Map<string, WaitReason>();
  const runnable: WaitRow[] = [];
  for (const row of rows) {
    const own = rowWaitReason(row, now.getTime());
    if (own === null) continue;
    if (own === "queued") runnable.push(row);
    else reasons.set(row.id, own);
  }
  if (runnable.length === 0) return reasons;
  const workerTypes = await selectLiveWorkerTypes(db, new Date(now.getTime() - WORKER_ALIVE_MS));
  const byUser = new Map<string, WaitRow[]>();
  for (const row of runnable) {
    const list = byUser.get(row.userId);
    if (list) list.push(row);
    else byUser.set(row.userId, [row]);
  }
  for (const [userId, userRows] of byUser) {
    const state = await readQueueState(db, userId, userRows, now);
    for (const row of userRows) reasons.set(row.id, waitReasonOf(row, state, workerTypes));
  }
  return reasons;
}
