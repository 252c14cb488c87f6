import { asQueueRow } from "../job-store/queue-changes.js";
/** A user's queues among `names` (a name without a row is a queue with no limits). */
export async function selectQueues(db, userId, names) {
    if (names.length === 0)
        return [];
    const rows = await db.read.all(`SELECT * FROM "queues" WHERE "userId" = @userId AND ${db.sql.inArray(`"name"`, "names")}`, { userId, names });
    return rows.map(asQueueRow);
}
/** The job types of every process that runs jobs and was alive after `since`. */
export async function selectLiveWorkerTypes(db, since) {
    const rows = await db.read.all(`SELECT "types" FROM "workers" WHERE "lastSeenAt" > @since AND "concurrency" > 0`, { since });
    const types = new Set();
    for (const row of rows) {
        try {
            const parsed = JSON.parse(row.types);
            if (Array.isArray(parsed))
                for (const type of parsed)
                    if (typeof type === "string")
                        types.add(type);
        }
        catch {
            // A row this code did not write names no type.
        }
    }
    return types;
}
/**
 * A user's running jobs in `queues`, by queue and key: running jobs are few (at most the workers'
 * slots), so one grouped read gives both the queue's count and each key's.
 */
export function countRunning(db, userId, queues) {
    if (queues.length === 0)
        return Promise.resolve([]);
    return db.read.all(`SELECT "queue", "concurrencyKey", COUNT(*) AS "count" FROM "jobs"
      WHERE "userId" = @userId AND ${db.sql.inArray(`"queue"`, "queues")} AND "status" = 'running'
      GROUP BY "queue", "concurrencyKey"`, { userId, queues });
}
/**
 * Starts in each queue's window (since, now]: by queue, or, for windows that name keys, by queue and
 * key for those keys (queue_starts holds "" for a start without a key).
 */
export async function countStarts(db, userId, windows, now) {
    if (windows.length === 0)
        return [];
    const isPerKey = windows.some((window) => window.keys);
    const params = { userId, now };
    const ranges = windows.map((window, i) => {
        params[`queue_${i}`] = window.queue;
        params[`since_${i}`] = window.since;
        if (!window.keys)
            return `("queue" = @queue_${i} AND "startedAt" > @since_${i})`;
        params[`keys_${i}`] = window.keys;
        return `("queue" = @queue_${i} AND ${db.sql.inArray(`"concurrencyKey"`, `keys_${i}`)} AND "startedAt" > @since_${i})`;
    });
    const groups = isPerKey ? `"queue", "concurrencyKey"` : `"queue"`;
    const rows = await db.read.all(`SELECT ${groups}, COUNT(*) AS "count" FROM "queue_starts"
      WHERE "userId" = @userId AND "startedAt" <= @now AND (${ranges.join(" OR ")})
      GROUP BY ${groups}`, params);
    return rows.map((row) => ({
        queue: row.queue,
        concurrencyKey: row.concurrencyKey ?? null,
        count: row.count,
    }));
}
//# sourceMappingURL=wait-state.js.map