import { inList } from "../index.js";
import { asScheduleRow } from "../queries/schedules.js";
const fireRowSql = (i) => `(@scheduleId_${i}, @fireAt_${i}, @jobId_${i}, @now)`;
/**
 * One firing pass (§12), one transaction: takes up to `limit` schedules whose nextRunAt has come
 * (on PostgreSQL the rows are locked, and rows another process holds are skipped, so processes fire
 * different schedules side by side), records each decided fire time in schedule_fires — whose
 * primary key (scheduleId, fireAt) lets a fire time make one job whatever else happens — inserts
 * the jobs in one statement through the job store (with their events), and moves each schedule's
 * nextRunAt, lastRunAt and lastJobId. Returns the jobs made and the fire times dropped.
 */
export function fireDueSchedules(db, store, { now, limit, plan }) {
    return db.writer.transaction(async (tx) => {
        const schedules = (await tx.all(`SELECT * FROM "schedules" WHERE "nextRunAt" <= @now ORDER BY "nextRunAt" LIMIT @limit ${db.sql.skipLocked}`, { now, limit })).map(asScheduleRow);
        if (schedules.length === 0)
            return { taken: 0, jobs: [], fired: [] };
        const active = await activeJobIds(tx, schedules.flatMap((s) => (s.overlap === "skip" && s.lastJobId !== null ? [s.lastJobId] : [])));
        const oldest = Math.min(...schedules.map((s) => s.nextRunAt ?? now.getTime()));
        const downtimes = (await tx.all(`SELECT "fromAt", "toAt" FROM "schedule_downtimes" WHERE "toAt" > @oldest`, {
            oldest: new Date(oldest),
        })).map((row) => ({ fromAt: Number(row.fromAt), toAt: Number(row.toAt) }));
        const plans = schedules.map((schedule) => ({
            schedule,
            plan: plan({
                schedule,
                isLastJobActive: schedule.lastJobId !== null && active.has(schedule.lastJobId),
                downtimes,
                now: now.getTime(),
            }),
        }));
        const decided = plans.flatMap(({ schedule, plan: { fires } }) => fires.map((fire) => ({ scheduleId: schedule.id, ...fire })));
        const recorded = await recordFires(tx, decided, now);
        const isRecorded = (scheduleId, fireAt) => recorded.has(`${scheduleId}|${fireAt}`);
        const jobs = await store.insertJobsIn(tx, decided.flatMap((fire) => (fire.job && isRecorded(fire.scheduleId, fire.fireAt) ? [fire.job] : [])), now);
        const updates = plans.map(({ schedule, plan: { nextRunAt, fires } }) => {
            const made = fires.filter((fire) => fire.job !== null && isRecorded(schedule.id, fire.fireAt)).at(-1);
            return {
                id: schedule.id,
                nextRunAt,
                lastRunAt: made ? made.fireAt : schedule.lastRunAt,
                lastJobId: made ? made.job.id : schedule.lastJobId,
            };
        });
        await updateSchedules(db, tx, updates);
        return {
            taken: schedules.length,
            jobs,
            fired: decided
                .filter((fire) => isRecorded(fire.scheduleId, fire.fireAt))
                .map((fire) => ({ scheduleId: fire.scheduleId, fireAt: fire.fireAt, jobId: fire.job?.id ?? null })),
        };
    });
}
/** The ids among `ids` of jobs that are pending or running. */
async function activeJobIds(tx, ids) {
    if (ids.length === 0)
        return new Set();
    const params = {};
    const rows = await tx.all(`SELECT "id" FROM "jobs" WHERE "id" IN ${inList("id", ids, params)} AND "status" IN ('pending', 'running')`, params);
    return new Set(rows.map((row) => row.id));
}
/** Fire records per INSERT: three parameters each, well within both databases' limits on them. */
const FIRES_PER_STATEMENT = 1_000;
/** Inserts the fire records that do not exist yet; returns the keys `scheduleId|fireAt` it inserted. */
async function recordFires(tx, fires, now) {
    const recorded = new Set();
    for (let from = 0; from < fires.length; from += FIRES_PER_STATEMENT) {
        const chunk = fires.slice(from, from + FIRES_PER_STATEMENT);
        const params = { now };
        for (const [i, fire] of chunk.entries()) {
            params[`scheduleId_${i}`] = fire.scheduleId;
            params[`fireAt_${i}`] = new Date(fire.fireAt);
            params[`jobId_${i}`] = fire.job?.id ?? null;
        }
        const rows = await tx.all(`INSERT INTO "schedule_fires" ("scheduleId", "fireAt", "jobId", "createdAt")
        VALUES ${chunk.map((_, i) => fireRowSql(i)).join(", ")}
        ON CONFLICT ("scheduleId", "fireAt") DO NOTHING RETURNING "scheduleId", "fireAt"`, params);
        for (const row of rows)
            recorded.add(`${row.scheduleId}|${Number(row.fireAt)}`);
    }
    return recorded;
}
async function updateSchedules(db, tx, updates) {
    const iso = (at) => (at === null ? null : new Date(at).toISOString());
    if (db.sql.updateSchedulesSql && updates.length > 1) {
        await tx.run(db.sql.updateSchedulesSql, {
            ids: updates.map((u) => u.id),
            nextRunAts: updates.map((u) => iso(u.nextRunAt)),
            lastRunAts: updates.map((u) => iso(u.lastRunAt)),
            lastJobIds: updates.map((u) => u.lastJobId),
        });
        return;
    }
    for (const update of updates) {
        await tx.run(`UPDATE "schedules" SET "nextRunAt" = @nextRunAt, "lastRunAt" = @lastRunAt, "lastJobId" = @lastJobId
        WHERE "id" = @id`, {
            id: update.id,
            nextRunAt: update.nextRunAt === null ? null : new Date(update.nextRunAt),
            lastRunAt: update.lastRunAt === null ? null : new Date(update.lastRunAt),
            lastJobId: update.lastJobId,
        });
    }
}
//# sourceMappingURL=fire.js.map