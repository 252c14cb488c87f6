import { asScheduleRow } from "../queries/schedules.js";
export { fireDueSchedules, } from "./fire.js";
export { tickScheduleClock } from "./clock.js";
const settingsParams = (settings) => ({ ...settings });
// CAST: a parameter inside CASE has no column to take its type from on PostgreSQL (it would be
// text); on SQLite TIMESTAMP(3) has numeric affinity, which leaves the stored milliseconds as they are.
/** Tells every process that runs schedules to look at their next fire times again. */
const announce = (tx) => tx.signal("schedules");
/**
 * Stores a new schedule; undefined when the owner already has one by that name (a 409): the
 * unique (userId, name) decides, so two creates racing for one name make one schedule.
 */
export function insertSchedule(db, input) {
    return db.writer.transaction(async (tx) => {
        const [row] = await tx.all(`INSERT INTO "schedules" ("id", "userId", "name", "cron", "timezone", "type", "payload", "queue", "priority",
          "overlap", "catchUp", "isPaused", "nextRunAt", "lastRunAt", "lastJobId", "createdAt", "updatedAt")
        VALUES (@id, @userId, @name, @cron, @timezone, @type, @payload, @queue, @priority, @overlap, @catchUp,
          FALSE, @nextRunAt, NULL, NULL, @now, @now)
        ON CONFLICT ("userId", "name") DO NOTHING RETURNING *`, {
            id: input.id,
            userId: input.userId,
            ...settingsParams(input.settings),
            nextRunAt: input.nextRunAt,
            now: input.now,
        });
        if (row)
            await announce(tx);
        return row && asScheduleRow(row);
    });
}
const nameTakenSql = `SELECT 1 FROM "schedules" WHERE "userId" = @userId AND "name" = @name AND "id" <> @id`;
/**
 * PUT (§12): new settings, `nextRunAt` from now unless paused; `lastRunAt`, `lastJobId` and
 * `isPaused` stay. A create racing for the same name can still win between the check and the
 * update: the unique index then refuses the update, which is the same 409.
 */
export async function replaceSchedule(db, input) {
    const params = {
        id: input.id,
        userId: input.userId,
        ...settingsParams(input.settings),
        nextRunAt: input.nextRunAt,
        now: input.now,
    };
    const attempt = () => db.writer.transaction(async (tx) => {
        if ((await tx.all(nameTakenSql, params)).length > 0)
            return { kind: "name-taken" };
        const [row] = await tx.all(`UPDATE "schedules" SET "name" = @name, "cron" = @cron, "timezone" = @timezone, "type" = @type,
            "payload" = @payload, "queue" = @queue, "priority" = @priority, "overlap" = @overlap,
            "catchUp" = @catchUp, "nextRunAt" = CASE WHEN "isPaused" THEN NULL ELSE CAST(@nextRunAt AS TIMESTAMP(3)) END,
            "updatedAt" = @now
          WHERE "id" = @id AND "userId" = @userId RETURNING *`, params);
        if (!row)
            return { kind: "not-found" };
        await announce(tx);
        return { kind: "replaced", row: asScheduleRow(row) };
    });
    try {
        return await attempt();
    }
    catch (error) {
        const isTaken = await db.writer.transaction(async (tx) => (await tx.all(nameTakenSql, params)).length > 0);
        if (isTaken)
            return { kind: "name-taken" };
        throw error;
    }
}
/** Deletes a schedule and its fire records; false when the owner has no such schedule. The jobs it made stay. */
export function deleteSchedule(db, input) {
    return db.writer.transaction(async (tx) => {
        const count = await tx.run(`DELETE FROM "schedules" WHERE "id" = @id AND "userId" = @userId`, input);
        if (count === 0)
            return false;
        await tx.run(`DELETE FROM "schedule_fires" WHERE "scheduleId" = @id`, input);
        await announce(tx);
        return true;
    });
}
/**
 * Pause: `nextRunAt` becomes null. On PostgreSQL the update waits for a firing pass that holds the
 * schedule's row, so once it has answered no pass can still make a job for it. Resume of a paused
 * schedule: `nextRunAt` = `resumeNextRunAt` (the first fire time after now: no catching up). Resume
 * of a running schedule changes nothing.
 */
export function setSchedulePaused(db, input) {
    return db.writer.transaction(async (tx) => {
        const [row] = await tx.all(input.isPaused
            ? `UPDATE "schedules" SET "isPaused" = TRUE, "nextRunAt" = NULL,
              "updatedAt" = CASE WHEN "isPaused" THEN "updatedAt" ELSE CAST(@now AS TIMESTAMP(3)) END
            WHERE "id" = @id AND "userId" = @userId RETURNING *`
            : `UPDATE "schedules" SET "isPaused" = FALSE,
              "nextRunAt" = CASE WHEN "isPaused" THEN CAST(@resumeNextRunAt AS TIMESTAMP(3)) ELSE "nextRunAt" END,
              "updatedAt" = CASE WHEN "isPaused" THEN CAST(@now AS TIMESTAMP(3)) ELSE "updatedAt" END
            WHERE "id" = @id AND "userId" = @userId RETURNING *`, input);
        if (row)
            await announce(tx);
        return row && asScheduleRow(row);
    });
}
/**
 * Trigger (§12): the schedule's job now, also while paused, in the transaction that makes it the
 * schedule's last job (for `overlap`); `nextRunAt` stays. The schedule's row is locked first, so a
 * firing pass that takes it next sees this job. Undefined when the owner has no such schedule.
 */
export function triggerSchedule(db, store, input) {
    return db.writer.transaction(async (tx) => {
        const [found] = await tx.all(`SELECT * FROM "schedules" WHERE "id" = @id AND "userId" = @userId ${db.sql.forUpdate}`, input);
        if (!found)
            return undefined;
        const [job] = await store.insertJobsIn(tx, [input.jobOf(asScheduleRow(found))], input.now);
        await tx.run(`UPDATE "schedules" SET "lastRunAt" = @now, "lastJobId" = @jobId WHERE "id" = @id`, {
            id: input.id,
            now: input.now,
            jobId: job.id,
        });
        return job;
    });
}
/** Fire records older than a day: by then every schedule's nextRunAt is long past them. */
export async function deleteOldScheduleFires(db, now = new Date()) {
    const { count } = await db.writer.run(`DELETE FROM "schedule_fires" WHERE "createdAt" < @before`, {
        before: new Date(now.getTime() - 86_400_000),
    });
    return count;
}
//# sourceMappingURL=index.js.map