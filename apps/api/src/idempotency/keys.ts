import type { Database, Tx } from "../db/index.js";
import type { AlsoInTransaction, AlsoWithJobs } from "../db/job-store/index.js";
import type { JobRow } from "../db/rows.js";

/**
 * The `idempotency_keys` table: one row per (user, key), kept 24 hours. `responseStatus` and
 * `responseBody` are written in the same transaction as the job the request creates, so a replay
 * answers exactly what the first request did; a row without them is a request still in flight.
 */

/** A claimed key. `claimedAt` tells this claim from a later one that took the key over. */
export type IdempotencyTicket = { userId: string; key: string; claimedAt: Date };

export type StoredKey = {
  fingerprint: string;
  responseStatus: number | null;
  /** JSON text. */
  responseBody: string | null;
  createdAt: number;
  expiresAt: number;
};

export class IdempotencyClaimLostError extends Error {
  constructor() {
    super("the Idempotency-Key was taken over by another request");
    this.name = "IdempotencyClaimLostError";
  }
}

/** Inserts the key unless it exists: whether this request has it now. */
export async function insertKey(
  db: Pick<Database, "writer">,
  ticket: IdempotencyTicket,
  fingerprint: string,
  expiresAt: Date,
): Promise<boolean> {
  const { count } = await db.writer.run(
    `INSERT INTO "idempotency_keys" ("userId", "key", "fingerprint", "createdAt", "expiresAt")
      VALUES (@userId, @key, @fingerprint, @claimedAt, @expiresAt) ON CONFLICT DO NOTHING`,
    { ...ticket, fingerprint, expiresAt },
  );
  return count === 1;
}

export async function findKey(
  db: Pick<Database, "read">,
  { userId, key }: { userId: string; key: string },
): Promise<StoredKey | undefined> {
  const [row] = await db.read.all<StoredKey>(
    `SELECT "fingerprint", "responseStatus", "responseBody", "createdAt", "expiresAt" FROM "idempotency_keys"
      WHERE "userId" = @userId AND "key" = @key`,
    { userId, key },
  );
  return row;
}

/** Deletes one claim (not a later one that took the key over); unanswered only, or whatever it holds. */
export async function releaseKey(
  db: Pick<Database, "writer">,
  ticket: IdempotencyTicket,
  { onlyUnanswered }: { onlyUnanswered: boolean },
): Promise<void> {
  await db.writer.run(
    `DELETE FROM "idempotency_keys" WHERE "userId" = @userId AND "key" = @key AND "createdAt" = @claimedAt
      ${onlyUnanswered ? `AND "responseStatus" IS NULL` : ""}`,
    { ...ticket },
  );
}

/**
 * Stores the answer for a claimed key in the transaction that creates the job: a crash leaves both
 * or neither. Throws IdempotencyClaimLostError (rolling the job back) when the claim was taken over
 * meanwhile because it looked abandoned: this request must not create a job then.
 */
export function storeAnswer(
  ticket: IdempotencyTicket,
  answerFor: (row: JobRow, isDeduplicated: boolean) => { status: number; body: unknown },
): AlsoInTransaction {
  return (tx: Tx, row: JobRow, isDeduplicated: boolean) =>
    saveAnswer(tx, ticket, answerFor(row, isDeduplicated));
}

/** storeAnswer for a request that creates many jobs at once (a batch, §12). */
export function storeBatchAnswer(
  ticket: IdempotencyTicket,
  answerFor: (rows: JobRow[]) => { status: number; body: unknown },
): AlsoWithJobs {
  return (tx: Tx, rows: JobRow[]) => saveAnswer(tx, ticket, answerFor(rows));
}

/** Stores the answer of a claimed key inside `tx` (see storeAnswer), for writes that are not a job's create. */
export async function saveAnswer(
  tx: Tx,
  ticket: IdempotencyTicket,
  { status, body }: { status: number; body: unknown },
) {
  const saved = await tx.all(
    `UPDATE "idempotency_keys" SET "responseStatus" = @status, "responseBody" = @body
      WHERE "userId" = @userId AND "key" = @key AND "createdAt" = @claimedAt AND "responseStatus" IS NULL
      RETURNING "key"`,
    { ...ticket, status, body: JSON.stringify(body) },
  );
  if (saved.length === 0) throw new IdempotencyClaimLostError();
}

/** Housekeeping: forgets keys older than 24 hours. */
export async function deleteExpiredKeys(db: Pick<Database, "writer">, now = new Date()): Promise<number> {
  const { count } = await db.writer.run(`DELETE FROM "idempotency_keys" WHERE "expiresAt" <= @now`, { now });
  return count;
}
