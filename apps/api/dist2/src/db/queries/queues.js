import { asQueueRow } from "../job-store/queue-changes.js";
/** One of a user's queues; undefined for a queue the user does not have. */
export async function findQueue(db, userId, name) {
    const [row] = await db.read.all(`SELECT * FROM "queues" WHERE "userId" = @userId AND "name" = @name`, {
        userId,
        name,
    });
    return row && asQueueRow(row);
}
/** Up to `limit` of a user's queues after `afterName`, by name (C collation): one keyset page on the primary key. */
export async function selectQueuePage(db, { userId, afterName, limit }) {
    const rows = await db.read.all(`SELECT * FROM "queues" WHERE "userId" = @userId${afterName === undefined ? "" : ` AND "name" > @afterName`}
      ORDER BY "name" LIMIT @limit`, { userId, afterName, limit });
    return rows.map(asQueueRow);
}
/**
 * Pending and running jobs of a user's queues, and the earliest createdAt among the pending ones:
 * one grouped read on the (userId, queue, status, …) index. A queue with no such job is absent.
 */
export async function countQueueJobs(db, userId, names) {
    const counts = new Map();
    if (names.length === 0)
        return counts;
    const rows = await db.read.all(`SELECT "queue", "status", COUNT(*) AS "count", MIN("createdAt") AS "oldest" FROM "jobs"
      WHERE "userId" = @userId AND ${db.sql.inArray(`"queue"`, "names")} AND "status" IN ('pending', 'running')
      GROUP BY "queue", "status"`, { userId, names });
    for (const row of rows) {
        const entry = counts.get(row.queue) ?? { pending: 0, running: 0, oldestPendingAt: null };
        if (row.status === "pending") {
            entry.pending = Number(row.count);
            entry.oldestPendingAt = row.oldest === null ? null : Number(row.oldest);
        }
        else
            entry.running = Number(row.count);
        counts.set(row.queue, entry);
    }
    return counts;
}
//# sourceMappingURL=queues.js.map