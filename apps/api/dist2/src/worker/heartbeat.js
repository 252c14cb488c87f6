/** How often a worker process says it is alive; waitReason `no_worker` looks back 30 s (§11). */
export const HEARTBEAT_MS = 10_000;
const beatSql = `INSERT INTO "workers" ("id", "types", "concurrency", "lastSeenAt") VALUES (@id, @types, @concurrency, @now)
  ON CONFLICT ("id") DO UPDATE SET "types" = excluded."types", "concurrency" = excluded."concurrency",
    "lastSeenAt" = excluded."lastSeenAt"`;
/** Rows of processes gone for an hour: their jobs' waitReason stopped counting them long ago. */
export const deleteGoneWorkers = async (db, now = new Date()) => (await db.writer.run(`DELETE FROM "workers" WHERE "lastSeenAt" < @before`, {
    before: new Date(now.getTime() - 3_600_000),
})).count;
/**
 * Writes this worker's row (the job types it runs) at once and every HEARTBEAT_MS, and deletes it
 * on stop, so that a read can tell whether any live process runs a job's type.
 */
export function startHeartbeat({ db, logger, id, types, concurrency, }) {
    const beat = () => db.writer
        .run(beatSql, { id, types: JSON.stringify(types), concurrency, now: new Date() })
        .catch((error) => logger.warn({ err: error }, "could not write the worker's heartbeat"));
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    timer.unref();
    return {
        stop: async () => {
            clearInterval(timer);
            await db.writer
                .run(`DELETE FROM "workers" WHERE "id" = @id`, { id })
                .catch((error) => logger.warn({ err: error }, "could not delete the worker's heartbeat"));
        },
    };
}
//# sourceMappingURL=heartbeat.js.map