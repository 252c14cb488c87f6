import { PERIOD_MS_MAX } from "@jobdeck/contract";
/**
 * Changes to a queue's settings and pause switch (§11). Each is one transaction that waits, on
 * PostgreSQL, for the claims under way to end (SqlFragments.queueGate), so that once it has
 * answered every claim sees it: no job of a paused queue starts after the pause answered, and a
 * lowered limit holds from the next start. Workers are woken, since a raised limit or a resume may
 * let jobs start.
 */
/** The row as both databases give it: SQLite's booleans are 0 and 1. */
export const asQueueRow = (row) => ({
    ...row,
    isPaused: Boolean(row.isPaused),
    isFlowControlled: Boolean(row.isFlowControlled),
});
const FLOW_CONTROLLED = `("isPaused" OR "concurrency" IS NOT NULL OR "perKeyConcurrency" IS NOT NULL
  OR "rateLimit" IS NOT NULL OR "perKeyRateLimit" IS NOT NULL)`;
const ENSURE_QUEUE = `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt")
  VALUES (@userId, @queue, @now, @now) ON CONFLICT ("userId", "name") DO NOTHING`;
/**
 * A create's first statement: its queue exists from then on (§11), with no limits; on PostgreSQL
 * it also takes the queue gate's shared form, so that the insert that follows reads the queue's
 * pause and limits (the job's isLimited) after any change under way, and a change that follows
 * waits for this create and then rewrites the flag on its job too.
 */
export const ensureQueueSql = (sql) => sql.queueGate ? `WITH "ensured" AS (${ENSURE_QUEUE}) ${sql.queueGate.shared}` : ENSURE_QUEUE;
/**
 * ensureQueueSql for many queues at once (a batch's), in one statement: `@queues` is a JSON array
 * of `{ userId, name }`.
 */
export const ensureQueuesSql = (sql) => {
    const ensure = `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt")
    SELECT q."userId", q."name", @now, @now FROM ${sql.jsonRows("queues", { userId: "text", name: "text" })} AS q
    WHERE TRUE ON CONFLICT ("userId", "name") DO NOTHING`;
    return sql.queueGate ? `WITH "ensured" AS (${ensure}) ${sql.queueGate.shared}` : ensure;
};
/**
 * The flag on a queue's waiting and running jobs (a running job may come back to pending) that
 * tells the claim's open path to leave them to the limited path.
 */
const markJobsSql = `UPDATE "jobs" SET "isLimited" = @isLimited
  WHERE "userId" = @userId AND "queue" = @name AND "status" IN ('pending', 'running') AND "isLimited" <> @isLimited`;
const settingsParams = (settings) => ({
    concurrency: settings.concurrency,
    perKeyConcurrency: settings.perKeyConcurrency,
    rateLimit: settings.rateLimit?.limit ?? null,
    ratePeriodMs: settings.rateLimit?.periodMs ?? null,
    perKeyRateLimit: settings.perKeyRateLimit?.limit ?? null,
    perKeyRatePeriodMs: settings.perKeyRateLimit?.periodMs ?? null,
});
const SET_SETTINGS = `"concurrency" = @concurrency, "perKeyConcurrency" = @perKeyConcurrency,
  "rateLimit" = @rateLimit, "ratePeriodMs" = @ratePeriodMs,
  "perKeyRateLimit" = @perKeyRateLimit, "perKeyRatePeriodMs" = @perKeyRatePeriodMs`;
const putSql = `INSERT INTO "queues" ("userId", "name", "concurrency", "perKeyConcurrency", "rateLimit", "ratePeriodMs",
    "perKeyRateLimit", "perKeyRatePeriodMs", "createdAt", "updatedAt")
  VALUES (@userId, @name, @concurrency, @perKeyConcurrency, @rateLimit, @ratePeriodMs, @perKeyRateLimit,
    @perKeyRatePeriodMs, @now, @now)
  ON CONFLICT ("userId", "name") DO UPDATE SET "concurrency" = excluded."concurrency",
    "perKeyConcurrency" = excluded."perKeyConcurrency", "rateLimit" = excluded."rateLimit",
    "ratePeriodMs" = excluded."ratePeriodMs", "perKeyRateLimit" = excluded."perKeyRateLimit",
    "perKeyRatePeriodMs" = excluded."perKeyRatePeriodMs",
    "version" = "queues"."version" + 1, "updatedAt" = excluded."updatedAt"
  RETURNING *`;
const putIfMatchSql = `UPDATE "queues" SET ${SET_SETTINGS}, "version" = "version" + 1, "updatedAt" = @now
  WHERE "userId" = @userId AND "name" = @name AND "version" = @version RETURNING *`;
const pauseSql = `INSERT INTO "queues" ("userId", "name", "isPaused", "createdAt", "updatedAt")
  VALUES (@userId, @name, @isPaused, @now, @now)
  ON CONFLICT ("userId", "name") DO UPDATE SET "isPaused" = excluded."isPaused",
    "version" = "queues"."version" + 1, "updatedAt" = excluded."updatedAt"
  RETURNING *`;
const flowControlledSql = `UPDATE "queues" SET "isFlowControlled" = ${FLOW_CONTROLLED}
  WHERE "userId" = @userId AND "name" = @name RETURNING *`;
async function change(db, write, key) {
    return db.writer.transaction(async (tx) => {
        if (db.sql.queueGate)
            await tx.all(db.sql.queueGate.exclusive);
        const written = await write(tx);
        if (!written)
            return undefined;
        const queue = asQueueRow((await tx.all(flowControlledSql, key))[0]);
        await tx.run(markJobsSql, { ...key, isLimited: queue.isFlowControlled });
        await tx.signal("jobs");
        return queue;
    });
}
/**
 * Sets a queue's four settings, creating it when needed. With `version` (the If-Match), only a
 * queue still at that version changes: undefined when it changed since or does not exist (a 412).
 */
export const putQueueSettings = (db, input) => {
    const params = {
        userId: input.userId,
        name: input.name,
        now: input.now,
        ...settingsParams(input.settings),
    };
    return change(db, async (tx) => (input.version === undefined
        ? await tx.all(putSql, params)
        : await tx.all(putIfMatchSql, { ...params, version: input.version }))[0], input);
};
/** Pauses or resumes a queue, creating it (with no limits) when needed. */
export const setQueuePaused = (db, input) => change(db, async (tx) => (await tx.all(pauseSql, input))[0], input);
/** Starts outside every possible window (periodMs is at most a day): rate limits no longer count them. */
export const deleteOldQueueStarts = async (db, now = new Date()) => (await db.writer.run(`DELETE FROM "queue_starts" WHERE "startedAt" < @before`, {
    before: new Date(now.getTime() - PERIOD_MS_MAX),
})).count;
//# sourceMappingURL=queue-changes.js.map