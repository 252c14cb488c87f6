import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { PrismaDb } from "../db/database.js";
import { IdempotencyClaimLostError, type JobStore } from "../db/job-store/index.js";
import { AppError } from "../errors.js";

/** Keys are kept this long (spec §10). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A key whose first request never finished (its process died) can be taken over after this. */
const ABANDONED_AFTER_MS = 120_000;

/**
 * A claimed key: the write that answers the request stores its answer under it (JobStore.insertJob).
 * `claimedAt` tells this claim from a later one that took the key over.
 */
export type IdempotencyTicket = { userId: string; key: string; claimedAt: Date };
export type IdempotentResult<S extends number, B> = { status: S; body: B; isReplay: boolean };

/** Same route and same body (key order aside) give the same fingerprint. */
export function requestFingerprint(route: string, body: unknown): string {
  return createHash("sha256")
    .update(route)
    .update("\0")
    .update(stringify(body) ?? "")
    .digest("hex");
}

/** Reads go through Prisma; every write through the job store (see JobStore.write). */
type Deps = { prisma: PrismaDb; store: JobStore };

type Claim = { kind: "claimed"; claimedAt: Date } | { kind: "replay"; status: number; body: unknown };

const busy = () => new AppError("CONFLICT", "This Idempotency-Key is busy; retry the request");

/**
 * Takes the key for this request, or finds who has it. The INSERT is the lock: of many concurrent
 * requests with one key exactly one inserts; the others see its row. Expired and abandoned rows
 * are removed conditionally (only the row that was read), then the claim is tried again.
 */
async function claim(
  { prisma, store }: Deps,
  userId: string,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  for (let round = 0; round < 3; round++) {
    const now = new Date();
    const { count } = await store.write(
      `INSERT INTO "idempotency_keys" ("userId", "key", "fingerprint", "createdAt", "expiresAt")
        VALUES (@userId, @key, @fingerprint, @now, @expiresAt) ON CONFLICT DO NOTHING`,
      { userId, key, fingerprint, now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) },
    );
    if (count === 1) return { kind: "claimed", claimedAt: now };

    const existing = await prisma.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
    if (!existing) continue;
    const isExpired = existing.expiresAt.getTime() <= now.getTime();
    const isAbandoned =
      existing.responseStatus === null && existing.createdAt.getTime() <= now.getTime() - ABANDONED_AFTER_MS;
    if (isExpired || isAbandoned) {
      await release(store, { userId, key, claimedAt: existing.createdAt }, { onlyUnanswered: false });
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
    return { kind: "replay", status: existing.responseStatus, body: existing.responseBody };
  }
  throw busy();
}

/**
 * Runs `execute` at most once per (user, key) within 24 hours (spec §10). `execute` gets the
 * ticket of the claimed key and must store its answer in the same transaction as its own write;
 * a failure (any 4xx or 5xx) releases the key and leaves nothing behind. Without a key it simply
 * runs `execute`.
 */
export async function runIdempotent<S extends number, B>({
  prisma,
  store,
  userId,
  key,
  fingerprint,
  execute,
}: Deps & {
  userId: string;
  key: string | undefined;
  /** Only computed when a key is sent: hashing every body would cost every creation. */
  fingerprint: () => string;
  execute: (ticket: IdempotencyTicket | undefined) => Promise<{ status: S; body: B }>;
}): Promise<IdempotentResult<S, B>> {
  if (key === undefined) return { ...(await execute(undefined)), isReplay: false };
  const claimed = await claim({ prisma, store }, userId, key, fingerprint());
  if (claimed.kind === "replay")
    return { status: claimed.status as S, body: claimed.body as B, isReplay: true };
  const ticket = { userId, key, claimedAt: claimed.claimedAt };
  try {
    return { ...(await execute(ticket)), isReplay: false };
  } catch (error) {
    await release(store, ticket, { onlyUnanswered: true });
    if (error instanceof IdempotencyClaimLostError) throw busy();
    throw error;
  }
}

/** Deletes one claim (not a later one that took the key over); unanswered only, or whatever it holds. */
async function release(
  store: JobStore,
  ticket: IdempotencyTicket,
  { onlyUnanswered }: { onlyUnanswered: boolean },
) {
  await store.write(
    `DELETE FROM "idempotency_keys" WHERE "userId" = @userId AND "key" = @key AND "createdAt" = @claimedAt
      ${onlyUnanswered ? `AND "responseStatus" IS NULL` : ""}`,
    { ...ticket },
  );
}

/** Housekeeping: forget keys older than 24 hours. */
export async function deleteExpiredIdempotencyKeys(store: JobStore, now = new Date()): Promise<number> {
  const { count } = await store.write(`DELETE FROM "idempotency_keys" WHERE "expiresAt" <= @now`, { now });
  return count;
}
