import type { Database } from "../index.js";
import { asQueueRow } from "../job-store/queue-changes.js";
import type { QueueRow } from "../rows.js";

/**
 * The reads behind a pending job's waitReason (§11): one statement each, over a set of queues and
 * keys at once, so that explaining a page of jobs costs a fixed number of statements. Each is
 * served by an index: queues by their primary key, running jobs by (userId, queue, status,
 * concurrencyKey, …), starts by (userId, queue[, concurrencyKey], startedAt), workers by lastSeenAt.
 */

type Read = Pick<Database, "read" | "sql">;

/** A user's queues among `names` (a name without a row is a queue with no limits). */
export async function selectQueues(db: Read, userId: string, names: string[]): Promise<QueueRow[]> {
  if (names.length === 0) return [];
  const rows = await db.read.all(
    `SELECT * FROM "queues" WHERE "userId" = @userId AND ${db.sql.inArray(`"name"`, "names")}`,
    { userId, names },
  );
  return rows.map(asQueueRow);
}

/** The job types of every process that runs jobs and was alive after `since`. */
export async function selectLiveWorkerTypes(db: Read, since: Date): Promise<Set<string>> {
  const rows = await db.read.all<{ types: string }>(
    `SELECT "types" FROM "workers" WHERE "lastSeenAt" > @since AND "concurrency" > 0`,
    { since },
  );
  return workerTypesOf(rows.map((row) => row.types));
}

/** The job types named by workers' `types` columns (JSON arrays of names). */
export function workerTypesOf(columns: string[]): Set<string> {
  const types = new Set<string>();
  for (const column of columns) {
    try {
      const parsed: unknown = JSON.parse(column);
      if (Array.isArray(parsed)) for (const type of parsed) if (typeof type === "string") types.add(type);
    } catch {
      // A row this code did not write names no type.
    }
  }
  return types;
}

export type KeyCount = { queue: string; concurrencyKey: string | null; count: number };

/**
 * A user's running jobs in `queues`, by queue and key: running jobs are few (at most the workers'
 * slots), so one grouped read gives both the queue's count and each key's.
 */
export function countRunning(db: Read, userId: string, queues: string[]): Promise<KeyCount[]> {
  if (queues.length === 0) return Promise.resolve([]);
  return db.read.all<KeyCount>(
    `SELECT "queue", "concurrencyKey", COUNT(*) AS "count" FROM "jobs"
      WHERE "userId" = @userId AND ${db.sql.inArray(`"queue"`, "queues")} AND "status" = 'running'
      GROUP BY "queue", "concurrencyKey"`,
    { userId, queues },
  );
}

export type StartWindow = { queue: string; since: Date; keys?: string[] };

/**
 * Starts in each queue's window (since, now]: by queue, or, for windows that name keys, by queue and
 * key for those keys (queue_starts holds "" for a start without a key).
 */
export async function countStarts(
  db: Read,
  userId: string,
  windows: StartWindow[],
  now: Date,
): Promise<KeyCount[]> {
  if (windows.length === 0) return [];
  const isPerKey = windows.some((window) => window.keys);
  const params: Record<string, unknown> = { userId, now };
  const ranges = windows.map((window, i) => {
    params[`queue_${i}`] = window.queue;
    params[`since_${i}`] = window.since;
    if (!window.keys) return `("queue" = @queue_${i} AND "startedAt" > @since_${i})`;
    params[`keys_${i}`] = window.keys;
    return `("queue" = @queue_${i} AND ${db.sql.inArray(`"concurrencyKey"`, `keys_${i}`)} AND "startedAt" > @since_${i})`;
  });
  const groups = isPerKey ? `"queue", "concurrencyKey"` : `"queue"`;
  const rows = await db.read.all<{ queue: string; concurrencyKey?: string; count: number }>(
    `SELECT ${groups}, COUNT(*) AS "count" FROM "queue_starts"
      WHERE "userId" = @userId AND "startedAt" <= @now AND (${ranges.join(" OR ")})
      GROUP BY ${groups}`,
    params,
  );
  return rows.map((row) => ({
    queue: row.queue,
    concurrencyKey: row.concurrencyKey ?? null,
    count: row.count,
  }));
}
