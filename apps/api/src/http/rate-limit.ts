import type { RequestHandler } from "express";
import {
  ipKeyGenerator,
  MemoryStore,
  rateLimit,
  type IncrementResponse,
  type Options,
  type Store,
} from "express-rate-limit";
import { isAuthenticated } from "../auth/middleware.js";
import type { Database } from "../db/database.js";
import type { JobStore } from "../db/job-store/index.js";
import type { RawSql } from "../db/raw-sql.js";
import { AppError } from "../errors.js";

const WINDOW_MS = 60_000;

/**
 * Fixed-window counters in the database, so every API process on one PostgreSQL database counts
 * the same requests. One upsert per request: the row's window restarts when it has ended. It runs
 * straight on the driver (db.sql, a prepared statement): through Prisma it cost as much CPU as the
 * list query it guards (bench R2 profile).
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = WINDOW_MS;

  constructor(
    private readonly sql: RawSql,
    prefix: string,
  ) {
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = new Date();
    const resetAt = new Date(now.getTime() + this.windowMs);
    const rows = await this.sql.all<{ hits: number; resetAt: number }>(
      `INSERT INTO "rate_limit_counters" ("key", "hits", "resetAt") VALUES (?, 1, ?)
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "rate_limit_counters"."resetAt" <= ? THEN 1 ELSE "rate_limit_counters"."hits" + 1 END,
        "resetAt" = CASE WHEN "rate_limit_counters"."resetAt" <= ? THEN ? ELSE "rate_limit_counters"."resetAt" END
      RETURNING "hits", "resetAt"`,
      [this.prefix + key, resetAt, now, now, resetAt],
    );
    const row = rows[0];
    if (!row) throw new Error("rate limit upsert returned no row");
    return { totalHits: Number(row.hits), resetTime: new Date(row.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.sql.all(
      `UPDATE "rate_limit_counters" SET "hits" = "hits" - 1 WHERE "key" = ? AND "hits" > 0`,
      [this.prefix + key],
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.sql.all(`DELETE FROM "rate_limit_counters" WHERE "key" = ?`, [this.prefix + key]);
  }
}

/** Housekeeping: drop counters whose window ended. */
export async function deleteExpiredRateLimitCounters(store: JobStore, now = new Date()): Promise<number> {
  const { count } = await store.write(`DELETE FROM "rate_limit_counters" WHERE "resetAt" <= @now`, { now });
  return count;
}

export type RateLimiters = {
  /** Authenticated requests, counted per user: one user's burst never slows another. */
  perUser: RequestHandler;
  /** Requests that failed authentication, counted per client address (IPv6 by /64). */
  perAddress: RequestHandler;
};

/**
 * SQLite serves one API process, so its counters live in memory; on PostgreSQL they live in the
 * database, shared by every process.
 */
export function createRateLimiters({ db, perMinute }: { db: Database; perMinute: number }): RateLimiters {
  const store = (prefix: string): Store =>
    db.provider === "postgresql" ? new DatabaseRateLimitStore(db.sql, prefix) : new MemoryStore();
  const common: Partial<Options> = {
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader("Retry-After");
      next(
        new AppError("RATE_LIMITED", `Too many requests; retry after ${String(retryAfter ?? 60)} s`, {
          headers: retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) },
        }),
      );
    },
  };
  return {
    perUser: rateLimit({
      ...common,
      identifier: "per-user",
      store: store("user:"),
      keyGenerator: (_req, res) => String(res.locals.userId),
      skip: (_req, res) => !isAuthenticated(res),
    }),
    perAddress: rateLimit({
      ...common,
      identifier: "per-address",
      store: store("addr:"),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? "unknown"),
      skip: (_req, res) => isAuthenticated(res),
    }),
  };
}
