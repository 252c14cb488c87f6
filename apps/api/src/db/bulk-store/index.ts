import type { Database, Tx } from "../index.js";
import type { BulkOperationRow } from "../rows.js";

/**
 * Every write of a bulk operation (§15), each one short transaction on the process's writer that
 * appends the operation's `bulk-operation` event when it changes what a client sees.
 *
 * At acceptance the jobs it matches are written to `bulk_operation_items` in one INSERT … SELECT:
 * that fixes `matched`, and leaves out every job created later. A runner then takes the operation
 * (a lease, like a job's) and processes its items in chunks; each chunk is one transaction that
 * renews the lease (fenced on its owner and on `running`, so a cancel or a takeover stops it),
 * acts on the jobs, deletes their items and adds to the counts. A crash rolls a chunk back whole,
 * so no job is acted on twice, and the next runner goes on with the items that are left.
 */

type Deps = Pick<Database, "writer" | "appendEvents" | "sql">;

/** The SSE event name of a bulk operation's events (data = BulkOperation). */
export const BULK_EVENT_KIND = "bulk-operation";

/** What a chunk's action did: how many of its jobs it acted on; the rest were skipped. */
export type ChunkOutcome = { succeeded: number };

/** Acts on a chunk of an operation's jobs inside the chunk's transaction. */
export type ChunkAction = {
  act: (tx: Tx, input: { userId: string; jobIds: string[]; now: Date }) => Promise<ChunkOutcome>;
  /**
   * How many of the chunk's first jobs one transaction may take (at least one), when the chunk's
   * size alone does not bound its work: a delete's jobs may hold 10,000 log lines each. The rest
   * stay items for the next chunk.
   */
  fit?: (tx: Tx, jobIds: string[]) => Promise<number>;
};

export type EventDataOf = (row: BulkOperationRow) => string;

const appendOperationEvent = (db: Deps, tx: Tx, row: BulkOperationRow, now: Date, eventData: EventDataOf) =>
  db.appendEvents(
    tx,
    [
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
    ],
    now,
  );

const asRow = (row: unknown) => row as BulkOperationRow;

/**
 * Stores a new operation and the snapshot of the jobs it matches (the caller's jobs `conditions`
 * select, created at or before `now`), with its first event. One that matches nothing is completed
 * at once. `also` runs in the same transaction (the Idempotency-Key's stored answer).
 */
export function acceptBulkOperation(
  db: Deps,
  input: {
    id: string;
    userId: string;
    action: string;
    selection: string;
    conditions: string[];
    params: Record<string, unknown>;
    now: Date;
    eventData: EventDataOf;
    also?: (tx: Tx, row: BulkOperationRow) => Promise<void>;
  },
): Promise<BulkOperationRow> {
  const { id, userId, action, selection, conditions, params, now, eventData, also } = input;
  return db.writer.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO "bulk_operations" ("id", "userId", "action", "status", "selection", "matched", "succeeded",
          "skipped", "createdAt", "updatedAt")
        VALUES (@id, @userId, @action, 'running', @selection, 0, 0, 0, @now, @now)`,
      { id, userId, action, selection, now },
    );
    const matched = await tx.run(
      `INSERT INTO "bulk_operation_items" ("operationId", "jobId")
        SELECT @operationId, "id" FROM "jobs" WHERE ${conditions.join(" AND ")} AND "createdAt" <= @acceptedAt`,
      { ...params, operationId: id, acceptedAt: now },
    );
    const [row] = await tx.all(
      `UPDATE "bulk_operations" SET "matched" = @matched, "status" = @status, "finishedAt" = @finishedAt
        WHERE "id" = @id RETURNING *`,
      {
        id,
        matched,
        status: matched === 0 ? "completed" : "running",
        finishedAt: matched === 0 ? now : null,
      },
    );
    const operation = asRow(row);
    await appendOperationEvent(db, tx, operation, now, eventData);
    if (operation.status === "running") await tx.signal("bulk");
    await also?.(tx, operation);
    return operation;
  });
}

/**
 * Takes a running operation that no live runner holds (never leased, or its lease ran out), oldest
 * first; on PostgreSQL a row another runner is taking is passed over (SKIP LOCKED).
 */
export async function claimBulkOperation(
  db: Deps,
  { owner, leaseMs, now }: { owner: string; leaseMs: number; now: Date },
): Promise<BulkOperationRow | undefined> {
  const free = `"status" = 'running' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < @now)`;
  const { rows } = await db.writer.run(
    `UPDATE "bulk_operations" SET "leaseOwner" = @owner, "leaseExpiresAt" = @until
      WHERE "id" IN (
        SELECT "id" FROM "bulk_operations" WHERE ${free} ORDER BY "createdAt", "id" LIMIT 1 ${db.sql.skipLocked}
      ) AND ${free}
      RETURNING *`,
    { owner, now, until: new Date(now.getTime() + leaseMs) },
  );
  return rows[0] && asRow(rows[0]);
}

export type ChunkResult =
  /** Cancelled, or another runner holds it now: this runner stops without writing anything. */
  { kind: "stopped" } | { kind: "processed"; row: BulkOperationRow; lastJobId: string | undefined };

/**
 * One chunk: up to `limit` of the operation's remaining jobs after `after` (the last job id this
 * runner processed; the items are deleted as they go, so a new runner starts from the first). The
 * last chunk completes the operation. The event goes out when `isEventDue` says so, and always at
 * the end.
 */
export function processBulkChunk(
  db: Deps,
  input: {
    id: string;
    owner: string;
    leaseMs: number;
    now: Date;
    after: string | undefined;
    limit: number;
    act: ChunkAction;
    eventData: EventDataOf;
    isEventDue: boolean;
  },
): Promise<ChunkResult> {
  const { id, owner, leaseMs, now, after, limit, act, eventData, isEventDue } = input;
  return db.writer.transaction(async (tx) => {
    // First, so that on PostgreSQL the operation's row stays locked to the commit: a cancel or a
    // takeover waits for this chunk, then sees its counts.
    const [held] = await tx.all(
      `UPDATE "bulk_operations" SET "leaseExpiresAt" = @until, "updatedAt" = @now
        WHERE "id" = @id AND "status" = 'running' AND "leaseOwner" = @owner RETURNING *`,
      { id, owner, now, until: new Date(now.getTime() + leaseMs) },
    );
    if (!held) return { kind: "stopped" as const };
    const operation = asRow(held);
    const items = await tx.all(
      `SELECT "jobId" FROM "bulk_operation_items" WHERE "operationId" = @id${
        after === undefined ? "" : ` AND "jobId" > @after`
      } ORDER BY "jobId" LIMIT @limit`,
      { id, limit, ...(after === undefined ? {} : { after }) },
    );
    const selected = items.map((item) => item.jobId as string);
    const jobIds =
      act.fit && selected.length > 1 ? selected.slice(0, Math.max(1, await act.fit(tx, selected))) : selected;
    const { succeeded } =
      jobIds.length > 0 ? await act.act(tx, { userId: operation.userId, jobIds, now }) : { succeeded: 0 };
    if (jobIds.length > 0)
      await tx.run(
        `DELETE FROM "bulk_operation_items" WHERE "operationId" = @id AND ${db.sql.inArray(`"jobId"`, "jobIds")}`,
        { id, jobIds },
      );
    const isLast = selected.length < limit && jobIds.length === selected.length;
    const [updated] = await tx.all(
      `UPDATE "bulk_operations" SET "succeeded" = "succeeded" + @succeeded, "skipped" = "skipped" + @skipped
        ${isLast ? `, "status" = 'completed', "finishedAt" = @now, "leaseOwner" = NULL, "leaseExpiresAt" = NULL` : ""}
        WHERE "id" = @id RETURNING *`,
      { id, now, succeeded, skipped: jobIds.length - succeeded },
    );
    const row = asRow(updated);
    if (isLast || isEventDue) await appendOperationEvent(db, tx, row, now, eventData);
    return { kind: "processed" as const, row, lastJobId: jobIds.at(-1) ?? after };
  });
}

export type CancelBulkResult = { kind: "cancelled" | "ended"; row: BulkOperationRow };

/**
 * Cancels a running operation: it keeps its counts and its runner stops before its next chunk (the
 * chunk's fence needs `running`). An ended one is left as it is. Undefined: not the user's.
 */
export function cancelBulkOperation(
  db: Deps,
  { userId, id, now, eventData }: { userId: string; id: string; now: Date; eventData: EventDataOf },
): Promise<CancelBulkResult | undefined> {
  return db.writer.transaction(async (tx) => {
    const [cancelled] = await tx.all(
      `UPDATE "bulk_operations" SET "status" = 'cancelled', "finishedAt" = @now, "updatedAt" = @now,
          "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE "id" = @id AND "userId" = @userId AND "status" = 'running' RETURNING *`,
      { id, userId, now },
    );
    if (cancelled) {
      const row = asRow(cancelled);
      // Its remaining items are of no use any more.
      await tx.run(`DELETE FROM "bulk_operation_items" WHERE "operationId" = @id`, { id });
      await appendOperationEvent(db, tx, row, now, eventData);
      return { kind: "cancelled" as const, row };
    }
    const [found] = await tx.all(`SELECT * FROM "bulk_operations" WHERE "id" = @id AND "userId" = @userId`, {
      id,
      userId,
    });
    return found ? { kind: "ended" as const, row: asRow(found) } : undefined;
  });
}

/** Ends an operation that cannot go on (its chunks keep failing): `failed`, with the counts it has. */
export function failBulkOperation(
  db: Deps,
  { id, owner, now, eventData }: { id: string; owner: string; now: Date; eventData: EventDataOf },
): Promise<BulkOperationRow | undefined> {
  return db.writer.transaction(async (tx) => {
    const [failed] = await tx.all(
      `UPDATE "bulk_operations" SET "status" = 'failed', "finishedAt" = @now, "updatedAt" = @now,
          "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE "id" = @id AND "status" = 'running' AND "leaseOwner" = @owner RETURNING *`,
      { id, owner, now },
    );
    if (!failed) return undefined;
    const row = asRow(failed);
    await tx.run(`DELETE FROM "bulk_operation_items" WHERE "operationId" = @id`, { id });
    await appendOperationEvent(db, tx, row, now, eventData);
    return row;
  });
}

/** Gives an operation back at shutdown, so that another process takes it at once rather than after the lease. */
export async function releaseBulkOperation(
  db: Deps,
  { id, owner }: { id: string; owner: string },
): Promise<void> {
  await db.writer.run(
    `UPDATE "bulk_operations" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE "id" = @id AND "status" = 'running' AND "leaseOwner" = @owner`,
    { id, owner },
  );
}
