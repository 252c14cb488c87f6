import { createHash } from "node:crypto";
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
/** How long a request waits for this process's flush on its way (DatabaseRateLimitStore.increment). */
const FLUSH_WAIT_MS = 1_000;

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * What one process knows of a key's window: the database's count when it last asked (`syncedAt`),
 * and the requests it counted itself since.
 */
type LocalWindow = { resetAt: number; known: number; pending: number; syncedAt: number };

type CounterRow = { key: string; hits: number; resetAt: number | Date };

/**
 * Fixed-window counters in the database, so that every API process on one PostgreSQL database
 * counts the same requests, without a database write per request. A process counts a key's
 * requests in memory and adds them to the database every `flushMs`, for all its keys in one
 * statement, learning the other processes' counts from the answer; a request whose key this process
 * has not heard about from the database for `flushMs` (or ever, in this window) asks it first,
 * counting itself in the same statement. So within one process the limit is exact (short of a
 * flush slower than FLUSH_WAIT_MS, which a request stops waiting for); across processes a user can
 * get past it by at most what the other processes accepted in the last `flushMs`.
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = WINDOW_MS;
  private readonly windows = new Map<string, LocalWindow>();
  private timer: NodeJS.Timeout | undefined;
  /** The flush under way: its hits are neither in the database's count nor pending any more. */
  private flushing: Promise<void> | undefined;
  private readonly upsert: string;

  constructor(
    private readonly db: Pick<Database, "writer" | "sql">,
    prefix: string,
    private readonly flushMs = 100,
  ) {
    this.prefix = prefix;
    // A window that has ended restarts with the hits sent; otherwise they are added.
    this.upsert = `INSERT INTO "rate_limit_counters" ("key", "hits", "resetAt")
      SELECT "key", "hits", "resetAt" FROM ${db.sql.jsonRows("rows", { key: "text", hits: "integer", resetAt: "timestamp" })} AS r
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "rate_limit_counters"."resetAt" <= @now THEN excluded."hits" ELSE "rate_limit_counters"."hits" + excluded."hits" END,
        "resetAt" = CASE WHEN "rate_limit_counters"."resetAt" <= @now THEN excluded."resetAt" ELSE "rate_limit_counters"."resetAt" END
      RETURNING "key", "hits", "resetAt"`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    // A statement sent beside a flush may run before it and answer without the flush's hits, so a
    // request waits for a flush on its way (one statement), but not past FLUSH_WAIT_MS: a writer that
    // stalls must not stall reads and event streams too.
    if (this.flushing) await settledWithin(this.flushing, FLUSH_WAIT_MS);
    const now = Date.now();
    const local = this.windows.get(key);
    if (local && local.resetAt > now && now - local.syncedAt < this.flushMs) {
      local.pending += 1;
      this.scheduleFlush();
      return { totalHits: local.known + local.pending, resetTime: new Date(local.resetAt) };
    }
    // The database says where the window stands, with this request (and any not yet sent) added.
    const unsent = local && local.resetAt > now ? local.pending : 0;
    if (local) local.pending -= unsent;
    const [row] = await this.send([{ key, hits: 1 + unsent }], now).catch((error: unknown) => {
      if (local) local.pending += unsent;
      throw error;
    });
    if (!row) throw new Error("rate limit upsert returned no row");
    const counted = this.learn(key, row, now);
    // This request's place in the window is its own answer: it holds every hit this process sent
    // before it, and requests counted here while it was on its way came after it.
    return { totalHits: row.hits, resetTime: new Date(counted.resetAt) };
  }

  /** Takes the database's count of `key` from an answer; a newer window replaces the old one. */
  private learn(key: string, row: CounterRow, syncedAt: number): LocalWindow {
    const resetAt = new Date(row.resetAt).getTime();
    const local = this.windows.get(key);
    if (local && local.resetAt === resetAt) {
      // Answers to concurrent statements may come in any order; within a window counts only grow.
      local.known = Math.max(local.known, row.hits);
      local.syncedAt = Math.max(local.syncedAt, syncedAt);
      return local;
    }
    const fresh = { resetAt, known: row.hits, pending: 0, syncedAt };
    this.windows.set(key, fresh);
    return fresh;
  }

  decrement(key: string): Promise<void> {
    const local = this.windows.get(key);
    if (local) local.pending -= 1;
    this.scheduleFlush();
    return Promise.resolve();
  }

  async resetKey(key: string): Promise<void> {
    this.windows.delete(key);
    await this.db.writer.run(`DELETE FROM "rate_limit_counters" WHERE "key" = @key`, {
      key: this.prefix + key,
    });
  }

  /** Sends what this process counted since the last flush, now (tests; also the timer's work). */
  flush(): Promise<void> {
    const previous = this.flushing;
    const flushing = (async () => {
      await previous?.catch(() => undefined);
      await this.sendPending();
    })();
    this.flushing = flushing;
    flushing
      .finally(() => {
        if (this.flushing === flushing) this.flushing = undefined;
      })
      .catch(() => undefined);
    return flushing;
  }

  private async sendPending(): Promise<void> {
    const now = Date.now();
    const batch: { key: string; hits: number }[] = [];
    for (const [key, local] of this.windows) {
      if (local.pending !== 0) {
        batch.push({ key, hits: local.pending });
        local.pending = 0;
      } else if (local.resetAt <= now) this.windows.delete(key);
    }
    if (batch.length === 0) return;
    let rows: CounterRow[];
    try {
      rows = await this.send(batch, now);
    } catch (error) {
      // Counted again at the next flush: a database that is away loses no hits.
      for (const { key, hits } of batch) {
        const local = this.windows.get(key);
        if (local) local.pending += hits;
      }
      this.scheduleFlush();
      throw error;
    }
    for (const row of rows) {
      const key = row.key.slice(this.prefix.length);
      const pending = this.windows.get(key)?.pending ?? 0;
      // Requests counted while the flush was under way stay pending, in the new window too.
      this.learn(key, row, now).pending = pending;
    }
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed flush keeps its hits for the next one; the request that counted them is long answered.
      this.flush().catch(() => undefined);
    }, this.flushMs);
    this.timer.unref();
  }

  private async send(batch: { key: string; hits: number }[], now: number): Promise<CounterRow[]> {
    const resetAt = now + this.windowMs;
    const { rows } = await this.db.writer.run(this.upsert, {
      rows: JSON.stringify(batch.map(({ key, hits }) => ({ key: this.prefix + key, hits, resetAt }))),
      now: new Date(now),
    });
    return rows as CounterRow[];
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
  /**
   * What `perUser` does, for the lean path of POST /v1/jobs (http/create-lane.ts): counts the request
   * in the same store and gives the headers express-rate-limit would set, and the 429 when over.
   */
  countUser: (userId: string) => Promise<UserCount>;
};

export type UserCount = { headers: [string, string][]; refusal: AppError | undefined };

const rateLimited = (retryAfter: string | undefined) =>
  new AppError("RATE_LIMITED", `Too many requests; retry after ${retryAfter ?? 60} s`, {
    headers: retryAfter === undefined ? {} : { "Retry-After": retryAfter },
  });

const PER_USER = "per-user";

/** express-rate-limit 8's draft-8 partition key: the key's SHA-256, 12 hex digits, as base64. */
const partitionKey = (key: string) =>
  Buffer.from(createHash("sha256").update(key).digest("hex").slice(0, 12)).toString("base64");

/**
 * Where several API processes serve the database (PostgreSQL), the counters live in it, shared by
 * every process; otherwise (SQLite serves one API process) they live in memory.
 */
export function createRateLimiters({
  db,
  perMinute,
}: {
  db: Pick<Database, "writer" | "sql" | "isSharedByProcesses">;
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
      next(rateLimited(retryAfter === undefined ? undefined : String(retryAfter)));
    },
  };
  const userStore = store("user:");
  return {
    perUser: rateLimit({
      ...common,
      identifier: PER_USER,
      store: userStore,
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
    countUser: async (userId) => {
      const { totalHits, resetTime } = await userStore.increment(userId);
      const resetSeconds = resetTime
        ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000))
        : Math.ceil(WINDOW_MS / 1000);
      const headers: [string, string][] = [
        ["RateLimit", `"${PER_USER}"; r=${Math.max(perMinute - totalHits, 0)}; t=${resetSeconds}`],
        [
          "RateLimit-Policy",
          `"${PER_USER}"; q=${perMinute}; w=${WINDOW_MS / 1000}; pk=:${partitionKey(userId)}:`,
        ],
      ];
      if (totalHits <= perMinute) return { headers, refusal: undefined };
      headers.push(["Retry-After", String(resetSeconds)]);
      return { headers, refusal: rateLimited(String(resetSeconds)) };
    },
  };
}
