import { createHmac, randomFillSync, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * What every raw baseline shares: the least a correct handler must do. It verifies the HS256 bearer
 * token (a handler that served rows without checking who asks would not be a peer), reads the
 * query, runs one prepared statement and writes the same JSON bytes jobdeck writes, nextCursor
 * included (same HMAC, same key). No framework, no validation library, no logging, no metrics.
 */

export const JOB_TYPES: Record<string, { resultType: string; maxAttempts: number; timeoutMs: number }> = {
  echo: { resultType: "json", maxAttempts: 3, timeoutMs: 10_000 },
  sleep: { resultType: "json", maxAttempts: 3, timeoutMs: 630_000 },
  "markdown.render": { resultType: "html", maxAttempts: 3, timeoutMs: 30_000 },
  "http.request": { resultType: "json", maxAttempts: 3, timeoutMs: 65_000 },
  "image.thumbnail": { resultType: "image", maxAttempts: 3, timeoutMs: 60_000 },
};

export const SORT_COLUMNS = new Set(["createdAt", "updatedAt", "type", "status"]);
export const STATUSES = new Set(["pending", "running", "completed", "failed", "cancelled"]);

export type Job = {
  id: string;
  type: string;
  status: string;
  resultType: string;
  payload: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(json),
  });
  res.end(json);
}

export function fail(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { success: false, error: { code, message }, requestId: "" });
}

/** HS256 only, exp required, sub required: jobdeck's rules without jsonwebtoken. */
export function verifyUser(req: IncomingMessage, secret: string): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith("Bearer ")) return undefined;
  const token = header.slice(7).trim();
  const firstDot = token.indexOf(".");
  const lastDot = token.lastIndexOf(".");
  if (firstDot < 0 || lastDot === firstDot) return undefined;
  const unsigned = token.slice(0, lastDot);
  const expected = createHmac("sha256", secret).update(unsigned).digest();
  const given = Buffer.from(token.slice(lastDot + 1), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const head = JSON.parse(Buffer.from(token.slice(0, firstDot), "base64url").toString()) as {
      alg?: unknown;
    };
    if (head.alg !== "HS256") return undefined;
    const claims = JSON.parse(Buffer.from(token.slice(firstDot + 1, lastDot), "base64url").toString()) as {
      sub?: unknown;
      exp?: unknown;
    };
    if (typeof claims.exp !== "number" || claims.exp + 5 < Date.now() / 1000) return undefined;
    if (typeof claims.sub !== "string" || claims.sub.length === 0 || claims.sub.length > 255)
      return undefined;
    return claims.sub;
  } catch {
    return undefined;
  }
}

export type ListParams = {
  limit: number;
  sortBy: string;
  isDescending: boolean;
  status: string[] | undefined;
  type: string[] | undefined;
  /** Not part of jobdeck's API: the OFFSET control of R3. */
  offset: number;
};

const list = (value: string | null) => (value === null ? undefined : [...new Set(value.split(","))]);

export function parseListParams(search: string): ListParams | string {
  const params = new URLSearchParams(search);
  const limit = Number(params.get("limit"));
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return "limit: must be an integer between 1 and 100";
  const sortBy = params.get("sortBy") ?? "createdAt";
  if (!SORT_COLUMNS.has(sortBy)) return "sortBy: unknown";
  const sortOrder = params.get("sortOrder") ?? "desc";
  if (sortOrder !== "desc" && sortOrder !== "asc") return "sortOrder: unknown";
  const status = list(params.get("status"));
  if (status?.some((s) => !STATUSES.has(s))) return "status: unknown";
  const offset = Number(params.get("offset") ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return "offset: must be a whole number";
  return {
    limit,
    sortBy,
    isDescending: sortOrder === "desc",
    status,
    type: list(params.get("type")),
    offset,
  };
}

/** jobdeck's cursor: base64url(JSON [value, id] ‖ first 16 bytes of HMAC-SHA256(binding \0 payload)). */
export function nextCursor(
  key: Buffer,
  userId: string,
  params: ListParams,
  value: number | string,
  id: string,
): string {
  const set = (values: string[] | undefined) => (values ? [...values].sort() : null);
  const binding = JSON.stringify([
    "v1",
    userId,
    params.sortBy,
    params.isDescending ? "desc" : "asc",
    set(params.type),
    set(params.status),
    null,
    null,
    null,
  ]);
  const payload = Buffer.from(JSON.stringify([value, id]));
  const mac = createHmac("sha256", key).update(binding).update("\0").update(payload).digest().subarray(0, 16);
  return Buffer.concat([payload, mac]).toString("base64url");
}

/** The page body jobdeck answers: the first `limit` rows as jobs, and a cursor when there are more. */
export function pageBody<Row extends { id: string }>(
  key: Buffer,
  userId: string,
  params: ListParams,
  rows: Row[],
  toJob: (row: Row) => Job,
  sortValue: (row: Row) => number | string,
): unknown {
  const hasMore = rows.length > params.limit;
  const page = hasMore ? rows.slice(0, params.limit) : rows;
  const last = page.at(-1);
  return {
    success: true,
    data: page.map(toJob),
    pagination: {
      limit: params.limit,
      nextCursor: hasMore && last ? nextCursor(key, userId, params, sortValue(last), last.id) : null,
      hasMore,
    },
  };
}

/** The ORDER BY … LIMIT … [OFFSET …] tail and the WHERE clause, with `?` or `$n` placeholders. */
export function listSql(
  params: ListParams,
  placeholder: (n: number) => string,
  isSqlite = false,
): { sql: string; key: string } {
  let n = 1;
  const where = [`"userId" = ${placeholder(n++)}`];
  if (params.status) where.push(`"status" IN (${params.status.map(() => placeholder(n++)).join(", ")})`);
  if (params.type) where.push(`"type" IN (${params.type.map(() => placeholder(n++)).join(", ")})`);
  const dir = params.isDescending ? "DESC" : "ASC";
  // The same statement jobdeck sends, index hint included on SQLite (see apps/api list-jobs.ts).
  const hint = isSqlite ? ` INDEXED BY "jobs_userId_${params.sortBy}_id_idx"` : "";
  let sql = `SELECT * FROM "jobs"${hint} WHERE ${where.join(" AND ")} ORDER BY "${params.sortBy}" ${dir}, "id" ${dir} LIMIT ${placeholder(n++)}`;
  if (params.offset > 0) sql += ` OFFSET ${placeholder(n++)}`;
  const key = `${params.sortBy}:${dir}:${params.status?.length ?? 0}:${params.type?.length ?? 0}:${params.offset > 0}`;
  return { sql, key };
}

export function listValues(userId: string, params: ListParams): (string | number)[] {
  const values: (string | number)[] = [
    userId,
    ...(params.status ?? []),
    ...(params.type ?? []),
    params.limit + 1,
  ];
  if (params.offset > 0) values.push(params.offset);
  return values;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as parsed JSON, or a reason to refuse it. */
export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error("too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on("error", reject);
  });
}

/** `{ type, payload }` for a known type, payload an object (the only type the bench posts is echo). */
export function parseCreateBody(body: unknown): { type: string; payload: object } | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "body: must be an object";
  const { type, payload, ...rest } = body as { type?: unknown; payload?: unknown };
  if (Object.keys(rest).length > 0) return "body: unknown fields";
  if (typeof type !== "string" || !(type in JOB_TYPES)) return "type: unknown";
  if (typeof payload !== "object" || payload === null) return "payload: must be an object";
  return { type, payload };
}

const random = Buffer.alloc(10);
const hex = (value: number, digits: number) => value.toString(16).padStart(digits, "0");

/** UUIDv7, as jobdeck's ids. */
export function uuidv7(ms: number): string {
  randomFillSync(random);
  const r = random.toString("hex");
  const time = hex(ms, 12);
  const variant = ((random[2]! & 0x3f) | 0x80).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${r.slice(0, 3)}-${variant}${r.slice(6, 8)}-${r.slice(8, 20)}`;
}

/** Reads PORT and the server's one argument; prints the line the bench waits for. */
export function announce(server: Server, name: string): void {
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    console.log(`${name} listening at http://127.0.0.1:${port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
