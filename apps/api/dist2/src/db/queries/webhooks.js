/** How long a message is retried after its event (or its redeliver), §13. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
// SQLite gives booleans as 0/1.
const asWebhookRow = (row) => ({ ...row, isEnabled: Boolean(row.isEnabled) });
export async function insertWebhook(db, webhook) {
    const { rows } = await db.writer.run(`INSERT INTO "webhooks" ("id", "userId", "url", "events", "filterTypes", "filterQueues", "isEnabled", "secret",
        "createdAt", "updatedAt")
      VALUES (@id, @userId, @url, @events, @filterTypes, @filterQueues, @isEnabled, @secret, @now, @now)
      RETURNING *`, webhook);
    return asWebhookRow(rows[0]);
}
export async function findWebhook(db, userId, id) {
    const [row] = await db.read.all(`SELECT * FROM "webhooks" WHERE "id" = @id AND "userId" = @userId`, {
        id,
        userId,
    });
    return row && asWebhookRow(row);
}
/** Up to `limit` of a user's webhooks, newest first, after `after` (the last row of the previous page). */
export async function selectWebhookPage(db, { userId, after, limit, }) {
    const rows = await db.read.all(`SELECT * FROM "webhooks" WHERE "userId" = @userId${after ? ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)` : ""} ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`, {
        userId,
        limit,
        ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    });
    return rows.map(asWebhookRow);
}
/** PUT: replaces everything but the secret; undefined when the user has no such webhook. */
export async function replaceWebhook(db, change) {
    const { rows } = await db.writer.run(`UPDATE "webhooks" SET "url" = @url, "events" = @events, "filterTypes" = @filterTypes,
        "filterQueues" = @filterQueues, "isEnabled" = @isEnabled, "updatedAt" = @now
      WHERE "id" = @id AND "userId" = @userId RETURNING *`, change);
    return rows[0] && asWebhookRow(rows[0]);
}
export async function replaceWebhookSecret(db, change) {
    const { rows } = await db.writer.run(`UPDATE "webhooks" SET "secret" = @secret, "updatedAt" = @now WHERE "id" = @id AND "userId" = @userId RETURNING *`, change);
    return rows[0] && asWebhookRow(rows[0]);
}
/** Deletes a webhook with its messages and its log, in one transaction; false when there was none. */
export function deleteWebhookRows(db, { id, userId }) {
    return db.writer.transaction(async (tx) => {
        const deleted = await tx.run(`DELETE FROM "webhooks" WHERE "id" = @id AND "userId" = @userId`, {
            id,
            userId,
        });
        if (deleted === 0)
            return false;
        await tx.run(`DELETE FROM "webhook_deliveries" WHERE "webhookId" = @id`, { id });
        await tx.run(`DELETE FROM "webhook_messages" WHERE "webhookId" = @id`, { id });
        return true;
    });
}
/**
 * A message that is due now (a test message, written outside any job change), for a webhook the
 * user owns: false when the user has no such webhook. Tells every sender at the commit.
 */
export function insertMessage(db, message) {
    return db.writer.transaction(async (tx) => {
        const [owned] = await tx.all(`SELECT "id" FROM "webhooks" WHERE "id" = @webhookId AND "userId" = @userId`, {
            webhookId: message.webhookId,
            userId: message.userId,
        });
        if (!owned)
            return false;
        const inserted = await tx.run(`INSERT INTO "webhook_messages" ("id", "webhookId", "userId", "eventType", "jobId", "body", "status",
          "nextAttemptAt", "expiresAt", "createdAt", "updatedAt")
        VALUES (@id, @webhookId, @userId, @eventType, NULL, @body, 'pending', @now, @expiresAt, @now, @now)`, { ...message, expiresAt: new Date(message.now.getTime() + RETRY_WINDOW_MS) });
        if (inserted > 0)
            await tx.signal("webhooks");
        return inserted > 0;
    });
}
/**
 * Redeliver: the delivery's message is due again now, with a fresh 24 hours of retries; the
 * attempt under way (if any) no longer holds it. Undefined when the user's webhook has no such
 * delivery.
 */
export function requeueDeliveryMessage(db, { userId, webhookId, deliveryId, now, }) {
    return db.writer.transaction(async (tx) => {
        const [found] = await tx.all(`SELECT d."messageId" FROM "webhook_deliveries" AS d JOIN "webhooks" AS w ON w."id" = d."webhookId"
        WHERE d."id" = @deliveryId AND d."webhookId" = @webhookId AND w."userId" = @userId`, { deliveryId, webhookId, userId });
        if (!found)
            return undefined;
        const messageId = found.messageId;
        const requeued = await tx.run(`UPDATE "webhook_messages" SET "status" = 'pending', "failures" = 0, "nextAttemptAt" = @now,
          "leaseOwner" = NULL, "expiresAt" = @expiresAt, "updatedAt" = @now
        WHERE "id" = @messageId`, { messageId, now, expiresAt: new Date(now.getTime() + RETRY_WINDOW_MS) });
        if (requeued === 0)
            return undefined;
        await tx.signal("webhooks");
        return messageId;
    });
}
/** Up to `limit` of a webhook's deliveries, newest first, after `after`. */
export function selectDeliveryPage(db, { webhookId, after, limit, }) {
    return db.read.all(`SELECT * FROM "webhook_deliveries" WHERE "webhookId" = @webhookId${after ? ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)` : ""} ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`, {
        webhookId,
        limit,
        ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    });
}
/**
 * Takes up to `limit` due messages for `owner` until `leaseUntil`: the lease is their next attempt
 * time, so a sender that dies mid-send leaves them due again when it ends. Rows another process is
 * claiming are skipped (PostgreSQL), so two senders never send the same attempt at once.
 */
export async function claimDueMessages(db, { owner, limit, now, leaseUntil }) {
    const { rows } = await db.writer.run(`UPDATE "webhook_messages" SET "attempts" = "attempts" + 1, "leaseOwner" = @owner,
        "nextAttemptAt" = @leaseUntil, "updatedAt" = @now
      WHERE "id" IN (
        SELECT "id" FROM "webhook_messages" WHERE "status" = 'pending' AND "nextAttemptAt" <= @now
        ORDER BY "nextAttemptAt" LIMIT @limit ${db.sql.skipLocked}
      ) AND "status" = 'pending' AND "nextAttemptAt" <= @now
      RETURNING *`, { owner, limit, now, leaseUntil });
    return rows;
}
/** Whether any message is due by `before`: senders look on the read connection before they claim. */
export async function hasDueMessage(db, before) {
    const rows = await db.read.all(`SELECT 1 FROM "webhook_messages" WHERE "status" = 'pending' AND "nextAttemptAt" <= @before LIMIT 1`, { before });
    return rows.length > 0;
}
/** Where and with what secret to send: the webhooks of claimed messages. */
export async function webhooksByIds(db, ids) {
    if (ids.length === 0)
        return new Map();
    const params = {};
    const list = ids.map((id, i) => {
        params[`id_${i}`] = id;
        return `@id_${i}`;
    });
    const rows = await db.read.all(`SELECT * FROM "webhooks" WHERE "id" IN (${list.join(", ")})`, params);
    return new Map(rows.map((row) => [row.id, asWebhookRow(row)]));
}
/** A claimed message whose webhook was deleted meanwhile: nothing is left to send it to. */
export async function dropMessage(db, id) {
    await db.writer.run(`DELETE FROM "webhook_messages" WHERE "id" = @id`, { id });
}
/**
 * One attempt's end: its line in the delivery log, and the message's next state, fenced on the
 * attempt so that a redeliver or another sender's later claim is not overwritten. The log line is
 * written whatever the fence says (the attempt happened), unless the message is gone.
 */
export function recordAttempt(db, { delivery, message }) {
    return db.writer.transaction(async (tx) => {
        const [stillThere] = await tx.all(`SELECT "id" FROM "webhook_messages" WHERE "id" = @id`, {
            id: delivery.messageId,
        });
        if (!stillThere)
            return;
        await tx.run(`INSERT INTO "webhook_deliveries" ("id", "webhookId", "messageId", "eventType", "jobId", "attempt",
          "statusCode", "durationMs", "error", "nextAttemptAt", "createdAt")
        VALUES (@id, @webhookId, @messageId, @eventType, @jobId, @attempt, @statusCode, @durationMs, @error,
          @nextAttemptAt, @createdAt)`, delivery);
        await tx.run(`UPDATE "webhook_messages" SET "status" = @status, "failures" = @failures, "nextAttemptAt" = @nextAttemptAt,
          "leaseOwner" = NULL, "updatedAt" = @now
        WHERE "id" = @id AND "attempts" = @attempts AND "leaseOwner" = @owner`, { ...message, now: delivery.createdAt });
    });
}
/** Rows one statement of the webhook history prune deletes at most: a short hold of SQLite's write lock. */
export const WEBHOOK_PRUNE_BATCH = 5_000;
/** Statements per table and prune at most; what is left goes at the next one (a minute later). */
const WEBHOOK_PRUNE_ROUNDS = 20;
/**
 * Deletes the delivery log (webhook_deliveries) older than `before`, and the messages that have
 * ended (delivered or failed, not pending: a message still being retried, or redelivered since,
 * stays) and were last changed before it, in batches, through their own indexes. Returns the rows
 * deleted.
 */
export async function deleteOldWebhookHistory(db, before) {
    const statements = [
        `DELETE FROM "webhook_deliveries" WHERE "id" IN (SELECT "id" FROM "webhook_deliveries"
      WHERE "createdAt" < @before ORDER BY "createdAt" LIMIT ${WEBHOOK_PRUNE_BATCH})`,
        `DELETE FROM "webhook_messages" WHERE "id" IN (SELECT "id" FROM "webhook_messages"
      WHERE "updatedAt" < @before AND "status" <> 'pending' ORDER BY "updatedAt" LIMIT ${WEBHOOK_PRUNE_BATCH})`,
    ];
    let total = 0;
    for (const statement of statements)
        for (let round = 0; round < WEBHOOK_PRUNE_ROUNDS; round++) {
            const { count } = await db.writer.run(statement, { before });
            total += count;
            if (count < WEBHOOK_PRUNE_BATCH)
                break;
        }
    return total;
}
//# sourceMappingURL=webhooks.js.map