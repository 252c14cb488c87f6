/**
 * The firing loop's clock (one row): when some process last ran it. A process's first tick that
 * finds the clock older than `gapMs` records the time since as a downtime (schedule_downtimes): no
 * process ran schedules then, so the fire times inside were missed, and each schedule's catchUp
 * decides what they make. Later ticks only move the clock: a process that runs on never declares a
 * downtime, however late its own loop was, so a busy process is late, never "missed".
 */
export function tickScheduleClock(db, { now, isFirstTick, gapMs }) {
    return db.writer.transaction(async (tx) => {
        await tx.run(`INSERT INTO "schedule_clock" ("id", "lastTickAt") VALUES (1, @never) ON CONFLICT ("id") DO NOTHING`, { never: new Date(0) });
        const [clock] = await tx.all(`SELECT "lastTickAt" FROM "schedule_clock" WHERE "id" = 1 ${db.sql.forUpdate}`);
        const last = Number(clock.lastTickAt);
        let downtime = null;
        if (isFirstTick && now.getTime() - last > gapMs) {
            downtime = { fromAt: last, toAt: now.getTime() };
            await tx.run(`INSERT INTO "schedule_downtimes" ("fromAt", "toAt") VALUES (@fromAt, @toAt)
          ON CONFLICT ("fromAt") DO UPDATE SET "toAt" = excluded."toAt"`, { fromAt: new Date(downtime.fromAt), toAt: new Date(downtime.toAt) });
        }
        if (now.getTime() > last)
            await tx.run(`UPDATE "schedule_clock" SET "lastTickAt" = @now WHERE "id" = 1`, { now });
        return { downtime };
    });
}
/** Downtimes older than 30 days: every schedule has fired since. */
export async function deleteOldScheduleDowntimes(db, now = new Date()) {
    const { count } = await db.writer.run(`DELETE FROM "schedule_downtimes" WHERE "toAt" < @before`, {
        before: new Date(now.getTime() - 30 * 86_400_000),
    });
    return count;
}
//# sourceMappingURL=clock.js.map