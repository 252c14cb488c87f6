import type { Database, Row } from "../index.js";

/**
 * The SQL of §13's webhooks, written once for both databases. The messages that job changes cause
 * are written by the job store's event append (dialect/), in the changes' transactions; everything
 * else about webhooks is here.
 */

type Read = Pick<Database, "read">;
type Write = Pick<Database, "writer">;

/** A row of `webhooks`: `events`, `filterTypes` and `filterQueues` are JSON text; `secret` is sealed. */
export type WebhookRow = {
  id: string;
  userId: string;
  url: string;
  events: string;
  filterTypes: string | null;
  filterQueues: string | null;
  isEnabled: boolean;
  secret: string;
  createdAt: number;
  updatedAt: number;
};

/** A row of `webhook_messages` (see models.prisma). */
export type WebhookMessageRow = {
  id: string;
  webhookId: string;
  userId: string;
  eventType: string;
  jobId: string | null;
  body: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  failures: number;
  nextAttemptAt: number | null;
  leaseOwner: string | null;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
};

/** A row of `webhook_deliveries`: `error` is JSON text of `{ code, message }`. */
export type WebhookDeliveryRow = {
  id: string;
  webhookId: string;
  messageId: string;
  eventType: string;
  jobId: string | null;
  attempt: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
};

/** How long a message is retried after its event (or its redeliver), §13. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

// SQLite gives booleans as 0/1.
const asWebhookRow = (row: Row) => ({ ...row, isEnabled: Boolean(row.isEnabled) }) as WebhookRow;

export type WebhookFields = {
  url: string;
  /** JSON text of the event list. */
  events: string;
  filterTypes: string | null;
  filterQueues: string | null;
  isEnabled: boolean;
};

export async function insertWebhook(
  db: Write,
  webhook: WebhookFields & { id: string; userId: string; secret: string; now: Date },
): Promise<WebhookRow> {
  const { rows } = await db.writer.run(
    `INSERT INTO "webhooks" ("id", "userId", "url", "events", "filterTypes", "filterQueues", "isEnabled", "secret",
        "createdAt", "updatedAt")
      VALUES (@id, @userId, @url, @events, @filterTypes, @filterQueues, @isEnabled, @secret, @now, @now)
      RETURNING *`,
    webhook,
  );
  return asWebhookRow(rows[0]!);
}

export async function findWebhook(db: Read, userId: string, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db.read.all(`SELECT * FROM "webhooks" WHERE "id" = @id AND "userId" = @userId`, {
    id,
    userId,
  });
  return row && asWebhookRow(row);
}

/** Up to `limit` of a user's webhooks, newest first, after `after` (the last row of the previous page). */
export async function selectWebhookPage(
  db: Read,
  {
    userId,
    after,
    limit,
  }: { userId: string; after: { createdAt: number; id: string } | undefined; limit: number },
): Promise<WebhookRow[]> {
  const rows = await db.read.all(
    `SELECT * FROM "webhooks" WHERE "userId" = @userId${
      after ? ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)` : ""
    } ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`,
    {
      userId,
      limit,
      ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    },
  );
  return rows.map(asWebhookRow);
}

/** PUT: replaces everything but the secret; undefined when the user has no such webhook. */
export async function replaceWebhook(
  db: Write,
  change: WebhookFields & { id: string; userId: string; now: Date },
): Promise<WebhookRow | undefined> {
  const { rows } = await db.writer.run(
    `UPDATE "webhooks" SET "url" = @url, "events" = @events, "filterTypes" = @filterTypes,
        "filterQueues" = @filterQueues, "isEnabled" = @isEnabled, "updatedAt" = @now
      WHERE "id" = @id AND "userId" = @userId RETURNING *`,
    change,
  );
  return rows[0] && asWebhookRow(rows[0]);
}

export async function replaceWebhookSecret(
  db: Write,
  change: { id: string; userId: string; secret: string; now: Date },
): Promise<WebhookRow | undefined> {
  const { rows } = await db.writer.run(
    `UPDATE "webhooks" SET "secret" = @secret, "updatedAt" = @now WHERE "id" = @id AND "userId" = @userId RETURNING *`,
    change,
  );
  return rows[0] && asWebhookRow(rows[0]);
}

/** Deletes a webhook with its messages and its log, in one transaction; false when there was none. */
export function deleteWebhookRows(
  db: Write,
  { id, userId }: { id: string; userId: string },
): Promise<boolean> {
  return db.writer.transaction(async (tx) => {
    const deleted = await tx.run(`DELETE FROM "webhooks" WHERE "id" = @id AND "userId" = @userId`, {
      id,
      userId,
    });
    if (deleted === 0) return false;
    await tx.run(`DELETE FROM "webhook_deliveries" WHERE "webhookId" = @id`, { id });
    await tx.run(`DELETE FROM "webhook_messages" WHERE "webhookId" = @id`, { id });
    return true;
  });
}

/**
 * A message that is due now (a test message, written outside any job change), for a webhook the
 * user owns: false when the user has no such webhook. Tells every sender at the commit.
 */
export function insertMessage(
  db: Write,
  message: { id: string; webhookId: string; userId: string; eventType: string; body: string; now: Date },
): Promise<boolean> {
  return db.writer.transaction(async (tx) => {
    const [owned] = await tx.all(
      `SELECT "id" FROM "webhooks" WHERE "id" = @webhookId AND "userId" = @userId`,
      {
        webhookId: message.webhookId,
        userId: message.userId,
      },
    );
    if (!owned) return false;
    const inserted = await tx.run(
      `INSERT INTO "webhook_messages" ("id", "webhookId", "userId", "eventType", "jobId", "body", "status",
          "nextAttemptAt", "expiresAt", "createdAt", "updatedAt")
        VALUES (@id, @webhookId, @userId, @eventType, NULL, @body, 'pending', @now, @expiresAt, @now, @now)`,
      { ...message, expiresAt: new Date(message.now.getTime() + RETRY_WINDOW_MS) },
    );
    if (inserted > 0) await tx.signal("webhooks");
    return inserted > 0;
  });
}

/**
 * Redeliver: the delivery's message is due again now, with a fresh 24 hours of retries; the
 * attempt under way (if any) no longer holds it. Undefined when the user's webhook has no such
 * delivery.
 */
export function requeueDeliveryMessage(
  db: Write,
  {
    userId,
    webhookId,
    deliveryId,
    now,
  }: { userId: string; webhookId: string; deliveryId: string; now: Date },
): Promise<string | undefined> {
  return db.writer.transaction(async (tx) => {
    const [found] = await tx.all(
      `SELECT d."messageId" FROM "webhook_deliveries" AS d JOIN "webhooks" AS w ON w."id" = d."webhookId"
        WHERE d."id" = @deliveryId AND d."webhookId" = @webhookId AND w."userId" = @userId`,
      { deliveryId, webhookId, userId },
    );
    if (!found) return undefined;
    const messageId = found.messageId as string;
    const requeued = await tx.run(
      `UPDATE "webhook_messages" SET "status" = 'pending', "failures" = 0, "nextAttemptAt" = @now,
          "leaseOwner" = NULL, "expiresAt" = @expiresAt, "updatedAt" = @now
        WHERE "id" = @messageId`,
      { messageId, now, expiresAt: new Date(now.getTime() + RETRY_WINDOW_MS) },
    );
    if (requeued === 0) return undefined;
    await tx.signal("webhooks");
    return messageId;
  });
}

/** Up to `limit` of a webhook's deliveries, newest first, after `after`. */
export function selectDeliveryPage(
  db: Read,
  {
    webhookId,
    after,
    limit,
  }: { webhookId: string; after: { createdAt: number; id: string } | undefined; limit: number },
): Promise<WebhookDeliveryRow[]> {
  return db.read.all<WebhookDeliveryRow>(
    `SELECT * FROM "webhook_deliveries" WHERE "webhookId" = @webhookId${
      after ? ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)` : ""
    } ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`,
    {
      webhookId,
      limit,
      ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    },
  );
}

/**
 * Takes up to `limit` due messages for `owner` until `leaseUntil`: the lease is their next attempt
 * time, so a sender that dies mid-send leaves them due again when it ends. Rows another process is
 * claiming are skipped (PostgreSQL), so two senders never send the same attempt at once.
 */
export async function claimDueMessages(
  db: Pick<Database, "writer" | "sql">,
  { owner, limit, now, leaseUntil }: { owner: string; limit: number; now: Date; leaseUntil: Date },
): Promise<WebhookMessageRow[]> {
  const { rows } = await db.writer.run(
    `UPDATE "webhook_messages" SET "attempts" = "attempts" + 1, "leaseOwner" = @owner,
        "nextAttemptAt" = @leaseUntil, "updatedAt" = @now
      WHERE "id" IN (
        SELECT "id" FROM "webhook_messages" WHERE "status" = 'pending' AND "nextAttemptAt" <= @now
        ORDER BY "nextAttemptAt" LIMIT @limit ${db.sql.skipLocked}
      ) AND "status" = 'pending' AND "nextAttemptAt" <= @now
      RETURNING *`,
    { owner, limit, now, leaseUntil },
  );
  return rows as WebhookMessageRow[];
}

/** Whether any message is due by `before`: senders look on the read connection before they claim. */
export async function hasDueMessage(db: Read, before: Date): Promise<boolean> {
  const rows = await db.read.all(
    `SELECT 1 FROM "webhook_messages" WHERE "status" = 'pending' AND "nextAttemptAt" <= @before LIMIT 1`,
    { before },
  );
  return rows.length > 0;
}

/** Where and with what secret to send: the webhooks of claimed messages. */
export async function webhooksByIds(db: Read, ids: string[]): Promise<Map<string, WebhookRow>> {
  if (ids.length === 0) return new Map();
  const params: Record<string, unknown> = {};
  const list = ids.map((id, i) => {
    params[`id_${i}`] = id;
    return `@id_${i}`;
  });
  const rows = await db.read.all(`SELECT * FROM "webhooks" WHERE "id" IN (${list.join(", ")})`, params);
  return new Map(rows.map((row) => [row.id as string, asWebhookRow(row)]));
}

/** A claimed message whose webhook was deleted meanwhile: nothing is left to send it to. */
export async function dropMessage(db: Write, id: string): Promise<void> {
  await db.writer.run(`DELETE FROM "webhook_messages" WHERE "id" = @id`, { id });
}

export type AttemptRecord = {
  delivery: Omit<WebhookDeliveryRow, "nextAttemptAt" | "createdAt" | "error"> & {
    error: string | null;
    nextAttemptAt: Date | null;
    createdAt: Date;
  };
  /** What the message becomes; applied only while this attempt still holds it (`attempts`, `owner`). */
  message: {
    id: string;
    attempts: number;
    owner: string;
    status: "pending" | "delivered" | "failed";
    failures: number;
    nextAttemptAt: Date | null;
  };
};

/**
 * One attempt's end: its line in the delivery log, and the message's next state, fenced on the
 * attempt so that a redeliver or another sender's later claim is not overwritten. The log line is
 * written whatever the fence says (the attempt happened), unless the message is gone.
 */
export function recordAttempt(db: Write, { delivery, message }: AttemptRecord): Promise<void> {
  return db.writer.transaction(async (tx) => {
    const [stillThere] = await tx.all(`SELECT "id" FROM "webhook_messages" WHERE "id" = @id`, {
      id: delivery.messageId,
    });
    if (!stillThere) return;
    await tx.run(
      `INSERT INTO "webhook_deliveries" ("id", "webhookId", "messageId", "eventType", "jobId", "attempt",
          "statusCode", "durationMs", "error", "nextAttemptAt", "createdAt")
        VALUES (@id, @webhookId, @messageId, @eventType, @jobId, @attempt, @statusCode, @durationMs, @error,
          @nextAttemptAt, @createdAt)`,
      delivery,
    );
    await tx.run(
      `UPDATE "webhook_messages" SET "status" = @status, "failures" = @failures, "nextAttemptAt" = @nextAttemptAt,
          "leaseOwner" = NULL, "updatedAt" = @now
        WHERE "id" = @id AND "attempts" = @attempts AND "leaseOwner" = @owner`,
      { ...message, now: delivery.createdAt },
    );
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
export async function deleteOldWebhookHistory(db: Write, before: Date): Promise<number> {
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
      if (count < WEBHOOK_PRUNE_BATCH) break;
    }
  return total;
}
