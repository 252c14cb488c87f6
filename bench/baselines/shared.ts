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
  queue: string;
  priority: number;
  runAt: string;
  concurrencyKey: string | null;
  dedupeKey: string | null;
  waitReason: string | null;
  scheduleId: string | null;
  batchId: string | null;
  retryOf: string | null;
  progress: null;
  tags: string[];
  metadata: Record<string, unknown>;
};

/** The row columns a job's §11 fields and wait reason come from, timestamps as Unix ms. */
export type FlowRow = {
  id: string;
  type: string;
  status: string;
  attempts: number;
  runAt: number;
  queue: string;
  priority: number;
  concurrencyKey: string | null;
  dedupeKey: string | null;
};

/**
 * The §11 fields of a job, in jobdeck's order; `waitReason` as computed by waitReasons (null when
 * not pending).
 */
export const flowFields = (row: FlowRow, waitReason: string | null) => ({
  queue: row.queue,
  priority: row.priority,
  runAt: new Date(row.runAt).toISOString(),
  concurrencyKey: row.concurrencyKey,
  dedupeKey: row.dedupeKey,
  waitReason: row.status === "pending" ? waitReason : null,
  scheduleId: null,
  batchId: null,
  retryOf: null,
  progress: null,
  tags: [],
  metadata: {},
});

/** The row's own reason (§11): backoff or scheduled while runAt is ahead, else queued; null when not pending. */
export function rowWaitReason(
  row: Pick<FlowRow, "status" | "runAt" | "attempts">,
  now: number,
): string | null {
  if (row.status !== "pending") return null;
  if (row.runAt > now) return row.attempts > 0 ? "backoff" : "scheduled";
  return "queued";
}

/**
 * The reason a job about to be created in the default queue would wait, read before its insert as
 * jobdeck's create does (so that an Idempotency-Key replay shows the same answer).
 */
export async function createdWaitReason(
  query: Query,
  placeholder: (n: number) => string,
  at: (ms: number) => unknown,
  userId: string,
  job: { id: string; type: string },
  now: number,
): Promise<string | null> {
  const prospect: FlowRow = {
    ...job,
    status: "pending",
    attempts: 0,
    runAt: now,
    queue: "default",
    priority: 0,
    concurrencyKey: null,
    dedupeKey: null,
  };
  return (await waitReasons(query, placeholder, at, userId, [prospect], now)).get(job.id) ?? null;
}

/** A driver's query: positional values, rows with timestamps as Unix ms. */
export type Query = (sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>;
type QueueState = {
  isPaused: boolean;
  concurrency: number | null;
  perKeyConcurrency: number | null;
  rateLimit: number | null;
  ratePeriodMs: number | null;
  perKeyRateLimit: number | null;
  perKeyRatePeriodMs: number | null;
};

/**
 * §11's waitReason for one user's page, the least work that gives the same answer as jobdeck: the
 * row's own reason, and for runnable pending rows the live workers' types, the page's queues, and
 * only for limited queues their running jobs and rate windows (first that applies: paused,
 * no_worker, concurrency, rate_limit, else queued). `at(ms)` turns a time into the driver's
 * parameter; `placeholder(n)` numbers parameters.
 */
export async function waitReasons(
  query: Query,
  placeholder: (n: number) => string,
  at: (ms: number) => unknown,
  userId: string,
  rows: FlowRow[],
  now: number,
): Promise<Map<string, string | null>> {
  const reasons = new Map<string, string | null>();
  const runnable = rows.filter((row) => {
    const own = rowWaitReason(row, now);
    reasons.set(row.id, own);
    return own === "queued";
  });
  if (runnable.length === 0) return reasons;
  const list = (values: unknown[], from: number) => values.map((_, i) => placeholder(from + i)).join(", ");
  const types = new Set<string>();
  for (const { types: text } of await query(
    `SELECT "types" FROM "workers" WHERE "lastSeenAt" > ${placeholder(1)} AND "concurrency" > 0`,
    [at(now - 30_000)],
  ))
    for (const type of JSON.parse(text as string) as string[]) types.add(type);
  const names = [...new Set(runnable.map((row) => row.queue))];
  const queues = new Map<string, QueueState>();
  for (const row of await query(
    `SELECT * FROM "queues" WHERE "userId" = ${placeholder(1)} AND "name" IN (${list(names, 2)})`,
    [userId, ...names],
  ))
    queues.set(row.name as string, { ...(row as QueueState), isPaused: Boolean(row.isPaused) });
  const limited = [...queues.entries()].filter(([, q]) => !q.isPaused).map(([name]) => name);
  const byQueue = new Map<string, number>();
  const byKey = new Map<string, number>();
  const keyOf = (queue: string, key: unknown) => `${queue}\u0000${typeof key === "string" ? key : ""}`;
  const tally = (target: Map<string, number>, key: string, n: unknown) =>
    target.set(key, (target.get(key) ?? 0) + Number(n));
  const withConcurrency = limited.filter(
    (name) => queues.get(name)!.concurrency !== null || queues.get(name)!.perKeyConcurrency !== null,
  );
  if (withConcurrency.length > 0) {
    for (const row of await query(
      `SELECT "queue", "concurrencyKey", COUNT(*) AS "n" FROM "jobs" WHERE "userId" = ${placeholder(1)}
        AND "queue" IN (${list(withConcurrency, 2)}) AND "status" = 'running' GROUP BY "queue", "concurrencyKey"`,
      [userId, ...withConcurrency],
    )) {
      tally(byQueue, row.queue as string, row.n);
      tally(byKey, keyOf(row.queue as string, row.concurrencyKey), row.n);
    }
  }
  const starts = new Map<string, number>();
  const keyStarts = new Map<string, number>();
  for (const name of limited) {
    const q = queues.get(name)!;
    if (q.rateLimit !== null && q.ratePeriodMs !== null) {
      const [row] = await query(
        `SELECT COUNT(*) AS "n" FROM "queue_starts" WHERE "userId" = ${placeholder(1)} AND "queue" = ${placeholder(2)}
          AND "startedAt" > ${placeholder(3)} AND "startedAt" <= ${placeholder(4)}`,
        [userId, name, at(now - Number(q.ratePeriodMs)), at(now)],
      );
      starts.set(name, Number(row?.n ?? 0));
    }
    const keys = [
      ...new Set(
        runnable.filter((r) => r.queue === name && r.concurrencyKey !== null).map((r) => r.concurrencyKey),
      ),
    ];
    if (q.perKeyRateLimit !== null && q.perKeyRatePeriodMs !== null && keys.length > 0) {
      for (const row of await query(
        `SELECT "concurrencyKey", COUNT(*) AS "n" FROM "queue_starts" WHERE "userId" = ${placeholder(1)}
          AND "queue" = ${placeholder(2)} AND "startedAt" > ${placeholder(3)} AND "startedAt" <= ${placeholder(4)}
          AND "concurrencyKey" IN (${list(keys, 5)}) GROUP BY "concurrencyKey"`,
        [userId, name, at(now - Number(q.perKeyRatePeriodMs)), at(now), ...keys],
      ))
        tally(keyStarts, keyOf(name, row.concurrencyKey), row.n);
    }
  }
  for (const row of runnable) {
    const q = queues.get(row.queue);
    const key = keyOf(row.queue, row.concurrencyKey);
    const hasKey = row.concurrencyKey !== null;
    let reason = "queued";
    if (q?.isPaused) reason = "paused";
    else if (!types.has(row.type)) reason = "no_worker";
    else if (!q) reason = "queued";
    else if (
      (q.concurrency !== null && (byQueue.get(row.queue) ?? 0) >= q.concurrency) ||
      (hasKey && q.perKeyConcurrency !== null && (byKey.get(key) ?? 0) >= q.perKeyConcurrency)
    )
      reason = "concurrency";
    else if (
      (q.rateLimit !== null && (starts.get(row.queue) ?? 0) >= q.rateLimit) ||
      (hasKey && q.perKeyRateLimit !== null && (keyStarts.get(key) ?? 0) >= q.perKeyRateLimit)
    )
      reason = "rate_limit";
    reasons.set(row.id, reason);
  }
  return reasons;
}

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
  /** The `cursor` token as given; `after` once readCursor has checked it. */
  cursor: string | undefined;
  after: { value: number | string; id: string } | undefined;
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
    cursor: params.get("cursor") ?? undefined,
    after: undefined,
  };
}

/** The string a cursor's MAC binds: jobdeck's cursorBinding for the filters the baselines take. */
function bindingOf(userId: string, params: ListParams): string {
  const set = (values: string[] | undefined) => (values ? [...values].sort() : null);
  return JSON.stringify([
    "v1",
    userId,
    params.sortBy,
    params.isDescending ? "desc" : "asc",
    set(params.type),
    set(params.status),
    null,
    null,
    null,
    null,
    null,
    null,
  ]);
}

const MAC_BYTES = 16;
const cursorMac = (key: Buffer, binding: string, payload: Buffer) =>
  createHmac("sha256", key).update(binding).update("\0").update(payload).digest().subarray(0, MAC_BYTES);

/**
 * Checks `params.cursor` as jobdeck does (the MAC over the user, filters and sort, then the shape of
 * the position) and sets `params.after`; false when it is not a cursor this list issued. A deep page
 * (R1, R2) then costs the baseline the same HMAC and the same keyset seek as jobdeck.
 */
export function readCursor(key: Buffer, userId: string, params: ListParams): boolean {
  if (params.cursor === undefined) return true;
  if (!/^[A-Za-z0-9_-]+$/.test(params.cursor)) return false;
  const bytes = Buffer.from(params.cursor, "base64url");
  if (bytes.length <= MAC_BYTES) return false;
  const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
  if (
    !timingSafeEqual(
      bytes.subarray(bytes.length - MAC_BYTES),
      cursorMac(key, bindingOf(userId, params), payload),
    )
  )
    return false;
  try {
    const parsed = JSON.parse(payload.toString("utf8")) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return false;
    const [value, id] = parsed as unknown[];
    const isTime = params.sortBy === "createdAt" || params.sortBy === "updatedAt";
    if (typeof value !== (isTime ? "number" : "string") || typeof id !== "string") return false;
    params.after = { value: value as number | string, id };
    return true;
  } catch {
    return false;
  }
}

/** jobdeck's cursor: base64url(JSON [value, id] ‖ first 16 bytes of HMAC-SHA256(binding \0 payload)). */
export function nextCursor(
  key: Buffer,
  userId: string,
  params: ListParams,
  value: number | string,
  id: string,
): string {
  const payload = Buffer.from(JSON.stringify([value, id]));
  return Buffer.concat([payload, cursorMac(key, bindingOf(userId, params), payload)]).toString("base64url");
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
      isPartial: false,
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
  // The keyset seek jobdeck sends for a cursor (apps/api db/queries/job-page.ts): a row-value comparison on the index's columns.
  if (params.after)
    where.push(
      `("${params.sortBy}", "id") ${params.isDescending ? "<" : ">"} (${placeholder(n++)}, ${placeholder(n++)})`,
    );
  const dir = params.isDescending ? "DESC" : "ASC";
  // The same statement jobdeck sends, index hint included on SQLite (see apps/api list-jobs.ts).
  const hint = isSqlite ? ` INDEXED BY "jobs_userId_${params.sortBy}_id_idx"` : "";
  let sql = `SELECT * FROM "jobs"${hint} WHERE ${where.join(" AND ")} ORDER BY "${params.sortBy}" ${dir}, "id" ${dir} LIMIT ${placeholder(n++)}`;
  if (params.offset > 0) sql += ` OFFSET ${placeholder(n++)}`;
  const key = `${params.sortBy}:${dir}:${params.status?.length ?? 0}:${params.type?.length ?? 0}:${params.offset > 0}:${params.after !== undefined}`;
  return { sql, key };
}

/** The statement's values; `at` turns a cursor's Unix ms into the driver's timestamp parameter. */
export function listValues(
  userId: string,
  params: ListParams,
  at: (ms: number) => string | number = (ms) => ms,
): (string | number)[] {
  const after = params.after
    ? [typeof params.after.value === "number" ? at(params.after.value) : params.after.value, params.after.id]
    : [];
  const values: (string | number)[] = [
    userId,
    ...(params.status ?? []),
    ...(params.type ?? []),
    ...after,
    params.limit + 1,
  ];
  if (params.offset > 0) values.push(params.offset);
  return values;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** POST /v1/jobs/batch's limit (R13). */
export const BATCH_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The request body as parsed JSON, or a reason to refuse it. */
export function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) reject(new Error("too large"));
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

/** `{ jobs: [1–1,000 create bodies] }`, each as parseCreateBody takes it (R13's batches). */
export function parseBatchBody(body: unknown): { type: string; payload: object }[] | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "body: must be an object";
  const { jobs, ...rest } = body as { jobs?: unknown };
  if (Object.keys(rest).length > 0) return "body: unknown fields";
  if (!Array.isArray(jobs) || jobs.length < 1 || jobs.length > 1000) return "jobs: must have 1–1000 items";
  const items: { type: string; payload: object }[] = [];
  for (const [index, job] of jobs.entries()) {
    const item = parseCreateBody(job);
    if (typeof item === "string") return `jobs.${index}.${item}`;
    items.push(item);
  }
  return items;
}

/**
 * A batch's rows as one multi-row INSERT writes them (R13): the columns, and each job's values in
 * that order, all created at `now` in the default queue with the batch's id.
 */
export const BATCH_COLUMNS = [
  "id",
  "userId",
  "type",
  "status",
  "resultType",
  "payload",
  "maxAttempts",
  "timeoutMs",
  "runAt",
  "createdAt",
  "updatedAt",
  "batchId",
] as const;

export type BatchJob = { id: string; type: string; payload: object };

export function batchValues(userId: string, batchId: string, jobs: BatchJob[], at: unknown): unknown[][] {
  return jobs.map((job) => {
    const type = JOB_TYPES[job.type]!;
    return [
      job.id,
      userId,
      job.type,
      "pending",
      type.resultType,
      JSON.stringify(job.payload),
      type.maxAttempts,
      type.timeoutMs,
      at,
      at,
      at,
      batchId,
    ];
  });
}

/** The 201 body of a batch, the same JSON bytes as jobdeck's; a job's waitReason by its type. */
export function batchAnswer(
  batchId: string,
  jobs: BatchJob[],
  now: number,
  waitReasonOf: (type: string) => string | null,
) {
  const createdAt = new Date(now).toISOString();
  return {
    success: true,
    data: {
      batchId,
      jobs: jobs.map((job): Job => ({
        id: job.id,
        type: job.type,
        status: "pending",
        resultType: JOB_TYPES[job.type]!.resultType,
        payload: job.payload,
        result: null,
        error: null,
        attempts: 0,
        maxAttempts: JOB_TYPES[job.type]!.maxAttempts,
        createdAt,
        updatedAt: createdAt,
        startedAt: null,
        finishedAt: null,
        queue: "default",
        priority: 0,
        runAt: createdAt,
        concurrencyKey: null,
        dedupeKey: null,
        waitReason: waitReasonOf(job.type),
        scheduleId: null,
        batchId,
        retryOf: null,
        progress: null,
        tags: [],
        metadata: {},
      })),
    },
    message: `${jobs.length} ${jobs.length === 1 ? "job" : "jobs"} created in a batch`,
  };
}

/**
 * Each type's waitReason for a batch's new jobs, all in the default queue without keys: one
 * createdWaitReason per distinct type (the bench posts one type).
 */
export async function batchWaitReasons(
  query: Query,
  placeholder: (n: number) => string,
  at: (ms: number) => unknown,
  userId: string,
  jobs: BatchJob[],
  now: number,
): Promise<Map<string, string | null>> {
  const reasons = new Map<string, string | null>();
  for (const job of jobs)
    if (!reasons.has(job.type))
      reasons.set(job.type, await createdWaitReason(query, placeholder, at, userId, job, now));
  return reasons;
}

/** Rows per multi-row INSERT within a driver's bound-parameter limit. */
export const chunksOf = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

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
