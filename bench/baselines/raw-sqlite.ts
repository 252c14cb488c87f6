import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import {
  announce,
  BATCH_COLUMNS,
  BATCH_MAX_BODY_BYTES,
  batchAnswer,
  batchValues,
  batchWaitReasons,
  chunksOf,
  parseBatchBody,
  fail,
  JOB_TYPES,
  listSql,
  listValues,
  pageBody,
  parseCreateBody,
  parseListParams,
  readCursor,
  readJson,
  send,
  uuidv7,
  verifyUser,
  waitReasons,
  createdWaitReason,
  flowFields,
  type Job,
} from "./shared.js";

/**
 * R1's, R4's and R13's baseline on SQLite: node:http and better-sqlite3 with cached prepared statements,
 * on the same file, pragmas and schema as jobdeck. Usage: DATABASE_FILE=… JWT_SECRET=… node raw-sqlite.js
 */

type Row = {
  id: string;
  userId: string;
  type: string;
  status: string;
  resultType: string;
  payload: string;
  result: string | null;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  runAt: number;
  queue: string;
  priority: number;
  concurrencyKey: string | null;
  dedupeKey: string | null;
  /** §15: JSON text, null when the job has none (shown as [] and {}). */
  tags: string | null;
  metadata: string | null;
};

const file = process.env.DATABASE_FILE ?? "";
const secret = process.env.JWT_SECRET ?? "";
const db = new BetterSqlite3(file, { timeout: 10_000 });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");

db.prepare(
  `INSERT INTO "settings" ("key", "value", "createdAt") VALUES ('cursor-key', ?, ?) ON CONFLICT DO NOTHING`,
).run(randomBytes(32).toString("base64url"), Date.now());
const { value: keyText } = db.prepare(`SELECT "value" FROM "settings" WHERE "key" = 'cursor-key'`).get() as {
  value: string;
};
const cursorKey = Buffer.from(keyText, "base64url");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toJob = (row: Row, waitReason: string | null): Job => ({
  id: row.id,
  type: row.type,
  status: row.status,
  resultType: row.resultType,
  payload: JSON.parse(row.payload) as unknown,
  result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  error: row.error === null ? null : (JSON.parse(row.error) as unknown),
  attempts: row.attempts,
  maxAttempts: row.maxAttempts,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
  startedAt: iso(row.startedAt),
  finishedAt: iso(row.finishedAt),
  ...flowFields(row, waitReason),
  tags: row.tags === null ? [] : (JSON.parse(row.tags) as string[]),
  metadata: row.metadata === null ? {} : (JSON.parse(row.metadata) as Record<string, unknown>),
});

const statements = new Map<string, BetterSqlite3.Statement>();
/** The wait-reason reads, through the same statement cache. */
const query = (sql: string, values: unknown[]) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return Promise.resolve(statement.all(values) as Record<string, unknown>[]);
};
/** A create makes its queue's row when it is new (§11), in the insert's transaction, as jobdeck does. */
const ensureQueue = db.prepare(
  `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt") VALUES (?, 'default', ?, ?) ON CONFLICT ("userId", "name") DO NOTHING`,
);
const insert = db.prepare(
  `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt")
   VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
);

const createJob = db.transaction((...values: unknown[]) => {
  ensureQueue.run(values[1], values[7], values[7]);
  insert.run(...values);
});

/** R13: a batch's rows with one multi-row INSERT per chunk of SQLite's 32,766 bound variables. */
const batchStatements = new Map<number, BetterSqlite3.Statement>();
const batchInsertFor = (rows: number) => {
  let statement = batchStatements.get(rows);
  if (!statement) {
    const tuple = `(${BATCH_COLUMNS.map(() => "?").join(", ")})`;
    statement = db.prepare(
      `INSERT INTO "jobs" (${BATCH_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${Array(rows).fill(tuple).join(", ")}`,
    );
    batchStatements.set(rows, statement);
  }
  return statement;
};
const createBatch = db.transaction((userId: string, now: number, rows: unknown[][]) => {
  ensureQueue.run(userId, now, now);
  for (const chunk of chunksOf(rows, Math.floor(32_766 / BATCH_COLUMNS.length)))
    batchInsertFor(chunk.length).run(chunk.flat());
});

const server = createServer((req, res) => {
  const userId = verifyUserOr401();
  if (!userId) return;
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (path === "/v1/jobs/batch" && req.method === "POST") {
    if (!req.headers["content-type"]?.startsWith("application/json"))
      return fail(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    readJson(req, BATCH_MAX_BODY_BYTES)
      .then(
        async (body) => {
          const items = parseBatchBody(body);
          if (typeof items === "string") return fail(res, 400, "VALIDATION_FAILED", items);
          const now = Date.now();
          const batchId = uuidv7(now);
          const jobs = items.map((item) => ({ id: uuidv7(now), ...item }));
          const reasons = await batchWaitReasons(
            query,
            () => "?",
            (ms) => ms,
            userId,
            jobs,
            now,
          );
          createBatch(userId, now, batchValues(userId, batchId, jobs, now));
          send(
            res,
            201,
            batchAnswer(batchId, jobs, now, (type) => reasons.get(type) ?? null),
          );
        },
        () => fail(res, 400, "VALIDATION_FAILED", "body: is not valid JSON"),
      )
      .catch((error: unknown) => {
        console.error(error);
        fail(res, 500, "INTERNAL_ERROR", "Something went wrong on our side");
      });
    return;
  }
  if (path !== "/v1/jobs") return fail(res, 404, "NOT_FOUND", "No such route");

  if (req.method === "GET") {
    const params = parseListParams(q < 0 ? "" : url.slice(q + 1));
    if (typeof params === "string") return fail(res, 400, "VALIDATION_FAILED", params);
    if (!readCursor(cursorKey, userId, params))
      return fail(
        res,
        400,
        "INVALID_CURSOR",
        "cursor is not valid for this user, these filters and this sort",
      );
    const { sql, key } = listSql(params, () => "?", true);
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = db.prepare(sql)));
    const rows = statement.all(listValues(userId, params)) as Row[];
    const sortBy = params.sortBy as "createdAt" | "updatedAt" | "type" | "status";
    const now = Date.now();
    waitReasons(
      query,
      () => "?",
      (ms) => ms,
      userId,
      rows.slice(0, params.limit),
      now,
    ).then(
      (reasons) =>
        send(
          res,
          200,
          pageBody(
            cursorKey,
            userId,
            params,
            rows,
            (row) => toJob(row, reasons.get(row.id) ?? null),
            (row) => row[sortBy],
          ),
        ),
      (error: unknown) => {
        console.error(error);
        fail(res, 500, "INTERNAL_ERROR", "Something went wrong on our side");
      },
    );
    return;
  }
  if (req.method === "POST") {
    if (!req.headers["content-type"]?.startsWith("application/json"))
      return fail(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    readJson(req)
      .then(
        async (body) => {
          const parsed = parseCreateBody(body);
          if (typeof parsed === "string") return fail(res, 400, "VALIDATION_FAILED", parsed);
          const type = JOB_TYPES[parsed.type]!;
          const now = Date.now();
          const id = uuidv7(now);
          const payload = JSON.stringify(parsed.payload);
          const waitReason = await createdWaitReason(
            query,
            () => "?",
            (ms) => ms,
            userId,
            { id, type: parsed.type },
            now,
          );
          createJob(
            id,
            userId,
            parsed.type,
            type.resultType,
            payload,
            type.maxAttempts,
            type.timeoutMs,
            now,
            now,
            now,
          );
          const createdAt = new Date(now).toISOString();
          const job: Job = {
            id,
            type: parsed.type,
            status: "pending",
            resultType: type.resultType,
            payload: parsed.payload,
            result: null,
            error: null,
            attempts: 0,
            maxAttempts: type.maxAttempts,
            createdAt,
            updatedAt: createdAt,
            startedAt: null,
            finishedAt: null,
            queue: "default",
            priority: 0,
            runAt: createdAt,
            concurrencyKey: null,
            dedupeKey: null,
            waitReason,
            scheduleId: null,
            batchId: null,
            retryOf: null,
            progress: null,
            tags: [],
            metadata: {},
          };
          send(res, 201, { success: true, data: job, message: "Job created" });
        },
        () => fail(res, 400, "VALIDATION_FAILED", "body: is not valid JSON"),
      )
      .catch((error: unknown) => {
        console.error(error);
        fail(res, 500, "INTERNAL_ERROR", "Something went wrong on our side");
      });
    return;
  }
  return fail(res, 404, "NOT_FOUND", "No such route");

  function verifyUserOr401(): string | undefined {
    const user = verifyUser(req, secret);
    if (!user) fail(res, 401, "UNAUTHORIZED", "Token is invalid");
    return user;
  }
});

announce(server, "raw-sqlite");
