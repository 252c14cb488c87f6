export class IdempotencyClaimLostError extends Error {
    constructor() {
        super("the Idempotency-Key was taken over by another request");
        this.name = "IdempotencyClaimLostError";
    }
}
/** Inserts the key unless it exists: whether this request has it now. */
export async function insertKey(db, ticket, fingerprint, expiresAt) {
    const { count } = await db.writer.run(`INSERT INTO "idempotency_keys" ("userId", "key", "fingerprint", "createdAt", "expiresAt")
      VALUES (@userId, @key, @fingerprint, @claimedAt, @expiresAt) ON CONFLICT DO NOTHING`, { ...ticket, fingerprint, expiresAt });
    return count === 1;
}
export async function findKey(db, { userId, key }) {
    const [row] = await db.read.all(`SELECT "fingerprint", "responseStatus", "responseBody", "createdAt", "expiresAt" FROM "idempotency_keys"
      WHERE "userId" = @userId AND "key" = @key`, { userId, key });
    return row;
}
/** Deletes one claim (not a later one that took the key over); unanswered only, or whatever it holds. */
export async function releaseKey(db, ticket, { onlyUnanswered }) {
    await db.writer.run(`DELETE FROM "idempotency_keys" WHERE "userId" = @userId AND "key" = @key AND "createdAt" = @claimedAt
      ${onlyUnanswered ? `AND "responseStatus" IS NULL` : ""}`, { ...ticket });
}
/**
 * Stores the answer for a claimed key in the transaction that creates the job: a crash leaves both
 * or neither. Throws IdempotencyClaimLostError (rolling the job back) when the claim was taken over
 * meanwhile because it looked abandoned: this request must not create a job then.
 */
export function storeAnswer(ticket, answerFor) {
    return (tx, row, isDeduplicated) => saveAnswer(tx, ticket, answerFor(row, isDeduplicated));
}
/** storeAnswer for a request that creates many jobs at once (a batch, §12). */
export function storeBatchAnswer(ticket, answerFor) {
    return (tx, rows) => saveAnswer(tx, ticket, answerFor(rows));
}
/** Stores the answer of a claimed key inside `tx` (see storeAnswer), for writes that are not a job's create. */
export async function saveAnswer(tx, ticket, { status, body }) {
    const saved = await tx.all(`UPDATE "idempotency_keys" SET "responseStatus" = @status, "responseBody" = @body
      WHERE "userId" = @userId AND "key" = @key AND "createdAt" = @claimedAt AND "responseStatus" IS NULL
      RETURNING "key"`, { ...ticket, status, body: JSON.stringify(body) });
    if (saved.length === 0)
        throw new IdempotencyClaimLostError();
}
/** Housekeeping: forgets keys older than 24 hours. */
export async function deleteExpiredKeys(db, now = new Date()) {
    const { count } = await db.writer.run(`DELETE FROM "idempotency_keys" WHERE "expiresAt" <= @now`, { now });
    return count;
}
//# sourceMappingURL=keys.js.map