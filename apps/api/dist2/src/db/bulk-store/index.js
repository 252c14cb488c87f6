/** The SSE event name of a bulk operation's events (data = BulkOperation). */
export const BULK_EVENT_KIND = "bulk-operation";
const appendOperationEvent = (db, tx, row, now, eventData) => db.appendEvents(tx, [
    {
        userId: row.userId,
        jobId: row.id,
        kind: BULK_EVENT_KIND,
        data: eventData(row),
        // No webhook hears of bulk operations, and their filters (job type, queue) do not apply.
        webhookEvent: null,
        jobType: "",
        queue: "",
    },
], now);
const asRow = (row) => row;
/**
 * Stores a new operation and the snapshot of the jobs it matches (the caller's jobs `conditions`
 * select, created at or before `now`), with its first event. One that matches nothing is completed
 * at once. `also` runs in the same transaction (the Idempotency-Key's stored answer).
 */
export function acceptBulkOperation(db, input) {
    const { id, userId, action, selection, conditions, params, now, eventData, also } = input;
    return db.writer.transaction(async (tx) => {
        await tx.run(`INSERT INTO "bulk_operations" ("id", "userId", "action", "status", "selection", "matched", "succeeded",
          "skipped", "createdAt", "updatedAt")
        VALUES (@id, @userId, @action, 'running', @selection, 0, 0, 0, @now, @now)`, { id, userId, action, selection, now });
        const matched = await tx.run(`INSERT INTO "bulk_operation_items" ("operationId", "jobId")
        SELECT @operationId, "id" FROM "jobs" WHERE ${conditions.join(" AND ")} AND "createdAt" <= @acceptedAt`, { ...params, operationId: id, acceptedAt: now });
        const [row] = await tx.all(`UPDATE "bulk_operations" SET "matched" = @matched, "status" = @status, "finishedAt" = @finishedAt
        WHERE "id" = @id RETURNING *`, {
            id,
            matched,
            status: matched === 0 ? "completed" : "running",
            finishedAt: matched === 0 ? now : null,
        });
        const operation = asRow(row);
        await appendOperationEvent(db, tx, operation, now, eventData);
        if (operation.status === "running")
            await tx.signal("bulk");
        await also?.(tx, operation);
        return operation;
    });
}
/**
 * Takes a running operation that no live runner holds (never leased, or its lease ran out), oldest
 * first; on PostgreSQL a row another runner is taking is passed over (SKIP LOCKED).
 */
export async function claimBulkOperation(db, { owner, leaseMs, now }) {
    const free = `"status" = 'running' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < @now)`;
    const { rows } = await db.writer.run(`UPDATE "bulk_operations" SET "leaseOwner" = @owner, "leaseExpiresAt" = @until
      WHERE "id" IN (
        SELECT "id" FROM "bulk_operations" WHERE ${free} ORDER BY "createdAt", "id" LIMIT 1 ${db.sql.skipLocked}
      ) AND ${free}
      RETURNING *`, { owner, now, until: new Date(now.getTime() + leaseMs) });
    return rows[0] && asRow(rows[0]);
}
/**
 * One chunk: up to `limit` of the operation's remaining jobs after `after` (the last job id this
 * runner processed; the items are deleted as they go, so a new runner starts from the first). The
 * last chunk completes the operation. The event goes out when `isEventDue` says so, and always at
 * the end.
 */
export function processBulkChunk(db, input) {
    const { id, owner, leaseMs, now, after, limit, act, eventData, isEventDue } = input;
    return db.writer.transaction(async (tx) => {
        // First, so that on PostgreSQL the operation's row stays locked to the commit: a cancel or a
        // takeover waits for this chunk, then sees its counts.
        const [held] = await tx.all(`UPDATE "bulk_operations" SET "leaseExpiresAt" = @until, "updatedAt" = @now
        WHERE "id" = @id AND "status" = 'running' AND "leaseOwner" = @owner RETURNING *`, { id, owner, now, until: new Date(now.getTime() + leaseMs) });
        if (!held)
            return { kind: "stopped" };
        const operation = asRow(held);
        const items = await tx.all(`SELECT "jobId" FROM "bulk_operation_items" WHERE "operationId" = @id${after === undefined ? "" : ` AND "jobId" > @after`} ORDER BY "jobId" LIMIT @limit`, { id, limit, ...(after === undefined ? {} : { after }) });
        const selected = items.map((item) => item.jobId);
        const jobIds = act.fit && selected.length > 1 ? selected.slice(0, Math.max(1, await act.fit(tx, selected))) : selected;
        const { succeeded } = jobIds.length > 0 ? await act.act(tx, { userId: operation.userId, jobIds, now }) : { succeeded: 0 };
        if (jobIds.length > 0)
            await tx.run(`DELETE FROM "bulk_operation_items" WHERE "operationId" = @id AND ${db.sql.inArray(`"jobId"`, "jobIds")}`, { id, jobIds });
        const isLast = selected.length < limit && jobIds.length === selected.length;
        const [updated] = await tx.all(`UPDATE "bulk_operations" SET "succeeded" = "succeeded" + @succeeded, "skipped" = "skipped" + @skipped
        ${isLast ? `, "status" = 'completed', "finishedAt" = @now, "leaseOwner" = NULL, "leaseExpiresAt" = NULL` : ""}
        WHERE "id" = @id RETURNING *`, { id, now, succeeded, skipped: jobIds.length - succeeded });
        const row = asRow(updated);
        if (isLast || isEventDue)
            await appendOperationEvent(db, tx, row, now, eventData);
        return { kind: "processed", row, lastJobId: jobIds.at(-1) ?? after };
    });
}
/**
 * Cancels a running operation: it keeps its counts and its runner stops before its next chunk (the
 * chunk's fence needs `running`). An ended one is left as it is. Undefined: not the user's.
 */
export function cancelBulkOperation(db, { userId, id, now, eventData }) {
    return db.writer.transaction(async (tx) => {
        const [cancelled] = await tx.all(`UPDATE "bulk_operations" SET "status" = 'cancelled', "finishedAt" = @now, "updatedAt" = @now,
          "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE "id" = @id AND "userId" = @userId AND "status" = 'running' RETURNING *`, { id, userId, now });
        if (cancelled) {
            const row = asRow(cancelled);
            // Its remaining items are of no use any more.
            await tx.run(`DELETE FROM "bulk_operation_items" WHERE "operationId" = @id`, { id });
            await appendOperationEvent(db, tx, row, now, eventData);
            return { kind: "cancelled", row };
        }
        const [found] = await tx.all(`SELECT * FROM "bulk_operations" WHERE "id" = @id AND "userId" = @userId`, {
            id,
            userId,
        });
        return found ? { kind: "ended", row: asRow(found) } : undefined;
    });
}
/** Ends an operation that cannot go on (its chunks keep failing): `failed`, with the counts it has. */
export function failBulkOperation(db, { id, owner, now, eventData }) {
    return db.writer.transaction(async (tx) => {
        const [failed] = await tx.all(`UPDATE "bulk_operations" SET "status" = 'failed', "finishedAt" = @now, "updatedAt" = @now,
          "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE "id" = @id AND "status" = 'running' AND "leaseOwner" = @owner RETURNING *`, { id, owner, now });
        if (!failed)
            return undefined;
        const row = asRow(failed);
        await tx.run(`DELETE FROM "bulk_operation_items" WHERE "operationId" = @id`, { id });
        await appendOperationEvent(db, tx, row, now, eventData);
        return row;
    });
}
/** Gives an operation back at shutdown, so that another process takes it at once rather than after the lease. */
export async function releaseBulkOperation(db, { id, owner }) {
    await db.writer.run(`UPDATE "bulk_operations" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE "id" = @id AND "status" = 'running' AND "leaseOwner" = @owner`, { id, owner });
}
//# sourceMappingURL=index.js.map