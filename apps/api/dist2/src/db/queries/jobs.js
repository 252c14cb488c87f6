/** One of a user's jobs; undefined for another user's job, as for a missing one. */
export async function findJob(db, { id, userId }) {
    const [row] = await db.read.all(`SELECT * FROM "jobs" WHERE "id" = @id AND "userId" = @userId`, {
        id,
        userId,
    });
    return row;
}
/** A job's binary result. */
export async function findArtifact(db, jobId) {
    const [row] = await db.read.all(`SELECT "contentType", "bytes" FROM "job_artifacts" WHERE "jobId" = @jobId`, { jobId });
    return row && { contentType: row.contentType, bytes: Buffer.from(row.bytes) };
}
/** When the earliest pending job of `types` that is not yet runnable becomes runnable (Unix ms). */
export async function nextPendingRunAt(db, types, now) {
    const [row] = await db.read.all(`SELECT "runAt" FROM "jobs" WHERE "status" = 'pending' AND "runAt" > @now AND ${db.sql.inArray(`"type"`, "types")}
      ORDER BY "runAt" LIMIT 1`, { now, types });
    return row?.runAt;
}
/** Whether some running job's lease has run out (its worker vanished). */
export async function hasExpiredLease(db, now) {
    const rows = await db.read.all(`SELECT 1 FROM "jobs" WHERE "status" = 'running' AND "leaseExpiresAt" < @now LIMIT 1`, { now });
    return rows.length > 0;
}
/** Which of these running jobs have had their cancellation requested. */
export async function cancelRequested(db, ids) {
    const rows = await db.read.all(`SELECT "id" FROM "jobs" WHERE ${db.sql.inArray(`"id"`, "ids")} AND "status" = 'running'
      AND "cancelRequestedAt" IS NOT NULL`, { ids });
    return rows.map((row) => row.id);
}
//# sourceMappingURL=jobs.js.map