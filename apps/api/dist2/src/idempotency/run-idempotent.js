import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import { AppError } from "../errors.js";
import { findKey, IdempotencyClaimLostError, insertKey, releaseKey } from "./keys.js";
/** Keys are kept this long (docs/api.md §10). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A key whose first request never finished (its process died) can be taken over after this. */
const ABANDONED_AFTER_MS = 120_000;
/** Same route and same body (key order aside) give the same fingerprint. */
export function requestFingerprint(route, body) {
    return createHash("sha256")
        .update(route)
        .update("\0")
        .update(stringify(body) ?? "")
        .digest("hex");
}
const busy = () => new AppError("CONFLICT", "This Idempotency-Key is busy; retry the request");
/**
 * Takes the key for this request, or finds who has it. The INSERT is the lock: of many concurrent
 * requests with one key exactly one inserts; the others see its row. Expired and abandoned rows
 * are removed conditionally (only the row that was read), then the claim is tried again.
 */
async function claim(db, userId, key, fingerprint) {
    for (let round = 0; round < 3; round++) {
        const now = new Date();
        const ticket = { userId, key, claimedAt: now };
        if (await insertKey(db, ticket, fingerprint, new Date(now.getTime() + IDEMPOTENCY_TTL_MS))) {
            return { kind: "claimed", ticket };
        }
        const existing = await findKey(db, { userId, key });
        if (!existing)
            continue;
        const isExpired = existing.expiresAt <= now.getTime();
        const isAbandoned = existing.responseStatus === null && existing.createdAt <= now.getTime() - ABANDONED_AFTER_MS;
        if (isExpired || isAbandoned) {
            await releaseKey(db, { userId, key, claimedAt: new Date(existing.createdAt) }, { onlyUnanswered: false });
            continue;
        }
        if (existing.fingerprint !== fingerprint) {
            throw new AppError("CONFLICT", "This Idempotency-Key was already used with a different request", {
                details: [{ path: "Idempotency-Key", message: "was already used with a different request" }],
            });
        }
        if (existing.responseStatus === null) {
            throw new AppError("CONFLICT", "A request with this Idempotency-Key is still in progress", {
                details: [{ path: "Idempotency-Key", message: "a request with this key is still in progress" }],
            });
        }
        return {
            kind: "replay",
            status: existing.responseStatus,
            body: existing.responseBody === null ? null : JSON.parse(existing.responseBody),
        };
    }
    throw busy();
}
/**
 * Runs `execute` at most once per (user, key) within 24 hours (docs/api.md §10). `execute` gets the
 * ticket of the claimed key and must store its answer in the same transaction as its own write
 * (keys.ts storeAnswer); a failure (any 4xx or 5xx) releases the key and leaves nothing behind.
 * Without a key it simply runs `execute`.
 */
export async function runIdempotent({ db, userId, key, fingerprint, execute, }) {
    if (key === undefined)
        return { ...(await execute(undefined)), isReplay: false };
    const claimed = await claim(db, userId, key, fingerprint());
    if (claimed.kind === "replay")
        return { status: claimed.status, body: claimed.body, isReplay: true };
    try {
        return { ...(await execute(claimed.ticket)), isReplay: false };
    }
    catch (error) {
        await releaseKey(db, claimed.ticket, { onlyUnanswered: true });
        if (error instanceof IdempotencyClaimLostError)
            throw busy();
        throw error;
    }
}
//# sourceMappingURL=run-idempotent.js.map