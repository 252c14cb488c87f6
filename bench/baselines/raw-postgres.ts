import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import pg from "pg";
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
 * R2's, R4's and R13's baseline on PostgreSQL: node:http and a `pg` pool (10 connections, as jobdeck's)
 * with named prepared statements, on the same database and schema as jobdeck.
 * Usage: DATABASE_URL=postgresql://… JWT_SECRET=… node raw-postgres.js
 */

// jobdeck's timestamp(3) columns hold UTC wall-clock time: read them as UTC, as Prisma does.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (text: string) =>
  Date.parse(`${text.replace(" ", "T")}Z`),
);

type Row = {
  id: string;
  userId: string;
  type: string;
  status: string;
  resultType: string;
  payload: unknown;
  result: unknown;
  error: unknown;
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
  /** §15: parsed by pg from jsonb, null when the job has none (shown as [] and {}). */
  tags: string[] | null;
  metadata: Record<string, unknown> | null;
};

const secret = process.env.JWT_SECRET ?? "";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

await pool.query(
  `INSERT INTO "settings" ("key", "value", "createdAt") VALUES ('cursor-key', $1, now()) ON CONFLICT DO NOTHING`,
  [randomBytes(32).toString("base64url")],
);
const { rows: keyRows } = await pool.query<{ value: string }>(
  `SELECT "value" FROM "settings" WHERE "key" = 'cursor-key'`,
);
const cursorKey = Buffer.from(keyRows[0]!.value, "base64url");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toJob = (row: Row, waitReason: string | null): Job => ({
  id: row.id,
  type: row.type,
  status: row.status,
  resultType: row.resultType,
  payload: row.payload,
  result: row.result ?? null,
  error: row.error ?? null,
  attempts: row.attempts,
  maxAttempts: row.maxAttempts,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
  startedAt: iso(row.startedAt),
  finishedAt: iso(row.finishedAt),
  ...flowFields(row, waitReason),
  tags: row.tags ?? [],
  metadata: row.metadata ?? {},
});

/** UTC wall-clock text, as jobdeck's timestamp(3) columns hold it. */
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23);
/** The wait-reason reads as named prepared statements (the text is the name: few distinct ones). */
const names = new Map<string, string>();
const query = async (text: string, values: unknown[]) => {
  let name = names.get(text);
  if (!name) names.set(text, (name = `w${createHash("sha1").update(text).digest("hex").slice(0, 16)}`));
  return (await pool.query({ name, text, values })).rows as Record<string, unknown>[];
};

// A create makes its queue's row when it is new (§11): one statement, as jobdeck's insert does in its transaction.
const INSERT = `WITH "queue" AS (INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt")
    VALUES ($2, 'default', $8, $8) ON CONFLICT ("userId", "name") DO NOTHING)
  INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt")
  VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $8, $8)`;

/** R13: a batch's rows with one multi-row INSERT per chunk of PostgreSQL's 65,535 parameters. */
const batchInsertText = (rows: number) =>
  `INSERT INTO "jobs" (${BATCH_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${Array.from(
    { length: rows },
    (_, r) => `(${BATCH_COLUMNS.map((_c, c) => `$${r * BATCH_COLUMNS.length + c + 1}`).join(", ")})`,
  ).join(", ")}`;

async function createBatch(userId: string, at: string, rows: unknown[][]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query({
      name: "ensure-queue",
      text: `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt") VALUES ($1, 'default', $2, $2) ON CONFLICT ("userId", "name") DO NOTHING`,
      values: [userId, at],
    });
    for (const chunk of chunksOf(rows, Math.floor(65_535 / BATCH_COLUMNS.length)))
      await client.query({
        name: `insert-batch-${chunk.length}`,
        text: batchInsertText(chunk.length),
        values: chunk.flat(),
      });
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  const userId = verifyUser(req, secret);
  if (!userId) return fail(res, 401, "UNAUTHORIZED", "Token is invalid");
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
          const reasons = await batchWaitReasons(query, (n) => `$${n}`, utc, userId, jobs, now);
          await createBatch(userId, utc(now), batchValues(userId, batchId, jobs, utc(now)));
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
  const onError = (error: unknown) => {
    console.error(error);
    fail(res, 500, "INTERNAL_ERROR", "Something went wrong on our side");
  };

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
    const { sql, key } = listSql(params, (n) => `$${n}`);
    const sortBy = params.sortBy as "createdAt" | "updatedAt" | "type" | "status";
    const now = Date.now();
    pool
      .query<Row>({ name: key, text: sql, values: listValues(userId, params, utc) })
      .then(async ({ rows }) => {
        const reasons = await waitReasons(
          query,
          (n) => `$${n}`,
          utc,
          userId,
          rows.slice(0, params.limit),
          now,
        );
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
        );
      })
      .catch(onError);
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
          const at = new Date(now).toISOString();
          const waitReason = await createdWaitReason(
            query,
            (n) => `$${n}`,
            utc,
            userId,
            { id, type: parsed.type },
            now,
          );
          await pool.query({
            name: "insert-job",
            text: INSERT,
            values: [
              id,
              userId,
              parsed.type,
              type.resultType,
              JSON.stringify(parsed.payload),
              type.maxAttempts,
              type.timeoutMs,
              at.slice(0, 23),
            ],
          });
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
            createdAt: at,
            updatedAt: at,
            startedAt: null,
            finishedAt: null,
            queue: "default",
            priority: 0,
            runAt: at,
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
      .catch(onError);
    return;
  }
  return fail(res, 404, "NOT_FOUND", "No such route");
});

announce(server, "raw-postgres");
