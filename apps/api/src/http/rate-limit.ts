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
import type { Database } from "../db/index.js";
import { AppError } from "../errors.js";

const WINDOW_MS = 60_000;

/**
 * Fixed-window counters in the database, so every API process on one PostgreSQL database counts
 * the same requests. One upsert per request, on the writer as one statement (a server-side prepared
 * statement, no transaction around it): the row's window restarts when it has ended.
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = WINDOW_MS;

  constructor(
    private readonly db: Pick<Database, "writer">,
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
    const { rows } = await this.db.writer.run(
      `INSERT INTO "rate_limit_counters" ("key", "hits", "resetAt") VALUES (@key, 1, @resetAt)
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "rate_limit_counters"."resetAt" <= @now THEN 1 ELSE "rate_limit_counters"."hits" + 1 END,
        "resetAt" = CASE WHEN "rate_limit_counters"."resetAt" <= @now THEN @resetAt ELSE "rate_limit_counters"."resetAt" END
      RETURNING "hits", "resetAt"`,
      { key: this.prefix + key, resetAt, now },
    );
    const row = rows[0] as { hits: number; resetAt: number } | undefined;
    if (!row) throw new Error("rate limit upsert returned no row");
    return { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.writer.run(
      `UPDATE "rate_limit_counters" SET "hits" = "hits" - 1 WHERE "key" = @key AND "hits" > 0`,
      { key: this.prefix + key },
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.db.writer.run(`DELETE FROM "rate_limit_counters" WHERE "key" = @key`, {
      key: this.prefix + key,
    });
  }
}

/** Housekeeping: drop counters whose window ended. */
export async function deleteExpiredRateLimitCounters(
  db: Pick<Database, "writer">,
  now = new Date(),
): Promise<number> {
  const { count } = await db.writer.run(`DELETE FROM "rate_limit_counters" WHERE "resetAt" <= @now`, { now });
  return count;
}

export type RateLimiters = {
  /** Authenticated requests, counted per user: one user's burst never slows another. */
  perUser: RequestHandler;
  /** Requests that failed authentication, counted per client address (IPv6 by /64). */
  perAddress: RequestHandler;
};

/**
 * Where several API processes serve the database (PostgreSQL), the counters live in it, shared by
 * every process; otherwise (SQLite serves one API process) they live in memory.
 */
export function createRateLimiters({
  db,
  perMinute,
}: {
  db: Pick<Database, "writer" | "isSharedByProcesses">;
  perMinute: number;
}): RateLimiters {
  const store = (prefix: string): Store =>
    db.isSharedByProcesses ? new DatabaseRateLimitStore(db, prefix) : new MemoryStore();
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
