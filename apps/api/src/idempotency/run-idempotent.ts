import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { Prisma } from "../../generated/prisma-sqlite/client.js";
import type { Database, PrismaDb } from "../db/database.js";
import { AppError } from "../errors.js";

/** Keys are kept this long (spec §10). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A key whose first request never finished (its process died) can be taken over after this. */
const ABANDONED_AFTER_MS = 120_000;

export type TransactionDb = Prisma.TransactionClient;
export type IdempotentResult<S extends number, B> = { status: S; body: B; isReplay: boolean };

/** Same route and same body (key order aside) give the same fingerprint. */
export function requestFingerprint(route: string, body: unknown): string {
  return createHash("sha256")
    .update(route)
    .update("\0")
    .update(stringify(body) ?? "")
    .digest("hex");
}

type Claim = { kind: "claimed" } | { kind: "replay"; status: number; body: unknown };

/**
 * Takes the key for this request, or finds who has it. The INSERT is the lock: of many concurrent
 * requests with one key exactly one inserts; the others see its row. Expired and abandoned rows
 * are removed conditionally (only the row that was read), then the claim is tried again.
 */
async function claim(prisma: PrismaDb, userId: string, key: string, fingerprint: string): Promise<Claim> {
  for (let round = 0; round < 3; round++) {
    const now = new Date();
    const inserted = await prisma.$executeRaw`
      INSERT INTO "idempotency_keys" ("userId", "key", "fingerprint", "createdAt", "expiresAt")
      VALUES (${userId}, ${key}, ${fingerprint}, ${now}, ${new Date(now.getTime() + IDEMPOTENCY_TTL_MS)})
      ON CONFLICT DO NOTHING`;
    if (inserted === 1) return { kind: "claimed" };

    const existing = await prisma.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
    if (!existing) continue;
    const isExpired = existing.expiresAt.getTime() <= now.getTime();
    const isAbandoned =
      existing.responseStatus === null && existing.createdAt.getTime() <= now.getTime() - ABANDONED_AFTER_MS;
    if (isExpired || isAbandoned) {
      await prisma.idempotencyKey.deleteMany({ where: { userId, key, createdAt: existing.createdAt } });
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
  throw new AppError("CONFLICT", "This Idempotency-Key is busy; retry the request");
}

/**
 * Runs `execute` at most once per (user, key) within 24 hours (spec §10). Its writes and the stored
 * answer commit in one transaction, so a crash leaves either both or neither; a failure (any 4xx or
 * 5xx) releases the key and leaves nothing behind. Without a key it simply runs `execute`.
 */
export async function runIdempotent<S extends number, B>({
  db,
  userId,
  key,
  fingerprint,
  execute,
}: {
  db: Database;
  userId: string;
  key: string | undefined;
  /** Computed only when a key is sent: a stable stringify and a hash of the body are not free. */
  fingerprint: () => string;
  /** Gets the transaction its writes must join, or undefined when there is none (no key). */
  execute: (tx: TransactionDb | undefined) => Promise<{ status: S; body: B }>;
}): Promise<IdempotentResult<S, B>> {
  if (key === undefined) return { ...(await execute(undefined)), isReplay: false };
  const claimed = await claim(db.prisma, userId, key, fingerprint());
  if (claimed.kind === "replay")
    return { status: claimed.status as S, body: claimed.body as B, isReplay: true };
  try {
    return await db.prisma.$transaction(async (tx) => {
      const result = await execute(tx);
      await tx.idempotencyKey.update({
        where: { userId_key: { userId, key } },
        data: { responseStatus: result.status, responseBody: result.body as Prisma.InputJsonValue },
      });
      return { ...result, isReplay: false };
    });
  } catch (error) {
    await db.prisma.idempotencyKey.deleteMany({ where: { userId, key, responseStatus: null } });
    throw error;
  }
}

/** Housekeeping: forget keys older than 24 hours. */
export async function deleteExpiredIdempotencyKeys(prisma: PrismaDb, now = new Date()): Promise<number> {
  const { count } = await prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
