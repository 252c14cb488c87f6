import { randomUUID } from "node:crypto";
import pg from "pg";
import { loadMapper } from "./api-dist.js";
import { NOOP_JOB_TYPE } from "./contenders.js";
import type { BenchDatabase } from "./databases.js";
import type { Running } from "./processes.js";

/**
 * R5 and R6 put jobs in two queues on PostgreSQL: jobdeck's and graphile-worker's. What is timed
 * is how the workers take them out; these are the ways in and the checks that they are all out.
 */

/** Rows per INSERT statement: PostgreSQL binds each array as one parameter, so this is only memory. */
const BATCH = 5_000;

export const nowNs = () => process.hrtime.bigint();
export const nsToMs = (ns: bigint) => Number(ns) / 1e6;

/**
 * What a created job's row holds, as POST /v1/jobs writes it (store.insertJob), in the data layer's
 * row shape (apps/api/src/db/rows.ts: Unix ms, JSON as text).
 */
function newJobRow(n: number, now: Date, flow: Flow) {
  const ms = now.getTime();
  return {
    id: randomUUID(),
    userId: "bench",
    type: NOOP_JOB_TYPE,
    status: "pending",
    resultType: "json",
    payload: JSON.stringify({ n }),
    result: null,
    error: null,
    attempts: 0,
    maxAttempts: 3,
    timeoutMs: 10_000,
    runAt: ms,
    leaseOwner: null,
    leaseExpiresAt: null,
    cancelRequestedAt: null,
    createdAt: ms,
    updatedAt: ms,
    startedAt: null,
    finishedAt: null,
    queue: flow.queue,
    priority: 0,
    concurrencyKey: flow.keyOf(n),
    dedupeKey: null,
    dedupeSlot: null,
    scheduleId: null,
    batchId: null,
    // §14–15's columns, as a create without them stores them.
    retryOf: null,
    tags: null,
    metadata: null,
    progress: null,
  };
}

/**
 * A job's isLimited as jobdeck's insert sets it (apps/api db/job-store/statements.ts): whether its
 * queue is flow-controlled, which the claim's open path reads instead of the queue. `$5` is the queue.
 */
export const IS_LIMITED = `EXISTS (SELECT 1 FROM "queues" WHERE "userId" = 'bench' AND "name" = $5 AND "isFlowControlled" = TRUE)`;

/** Where jobs go (§11): their queue, and each job's concurrency key (R10 spreads them over keys). */
export type Flow = { queue: string; keyOf: (n: number) => string | null };
export const DEFAULT_FLOW: Flow = { queue: "default", keyOf: () => null };

/**
 * `count` pending jobdeck jobs in one transaction: each row and its "created" event (the same JSON
 * the API's insertJob appends), then the NOTIFYs insertJob sends. Resolves with the monotonic time
 * just before COMMIT, when the jobs become visible to the worker.
 */
export async function enqueueJobdeck(client: pg.Client, count: number, flow = DEFAULT_FLOW): Promise<bigint> {
  const { jobEventData } = await loadMapper();
  const now = new Date();
  await client.query("BEGIN");
  // A create makes its queue's row when it is new (§11), as insertJob does.
  await client.query(
    `INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt") VALUES ('bench', $1, $2, $2)
     ON CONFLICT ("userId", "name") DO NOTHING`,
    [flow.queue, now.toISOString()],
  );
  for (let from = 0; from < count; from += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, count - from) }, (_, i) =>
      newJobRow(from + i, now, flow),
    );
    await client.query(
      `INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "attempts",
         "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt", "queue", "concurrencyKey", "isLimited")
       SELECT j."id", 'bench', $3, 'pending', 'json', j."payload"::jsonb, 0, 3, 10000, $4, $4, $4, $5, j."key",
         ${IS_LIMITED}
       FROM unnest($1::text[], $2::text[], $6::text[]) AS j("id", "payload", "key")`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.payload),
        NOOP_JOB_TYPE,
        now.toISOString(),
        flow.queue,
        rows.map((r) => r.concurrencyKey),
      ],
    );
    await client.query(
      `INSERT INTO "job_events" ("userId", "jobId", "data", "createdAt")
       SELECT 'bench', e."jobId", e."data", $3
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS e("jobId", "data", "n")
       ORDER BY e."n"`,
      [rows.map((r) => r.id), rows.map((r) => jobEventData(r)), now.toISOString()],
    );
  }
  await client.query("SELECT pg_notify('jobdeck_jobs', $1), pg_notify('jobdeck_events', '')", [
    NOOP_JOB_TYPE,
  ]);
  await client.query(ANALYZE_SQL.jobdeck);
  const committing = nowNs();
  await client.query("COMMIT");
  return committing;
}

/**
 * Statistics for the queue table, taken in the enqueueing transaction (ANALYZE counts the
 * transaction's own rows) so they are fresh at COMMIT and untimed. This machine's PostgreSQL runs
 * with autovacuum off: without it a table filled in one burst keeps the statistics of an empty one,
 * and jobdeck's claim then sorts every pending row for each batch of 8 (130 ms a claim at 100,000
 * pending jobs, about 50 jobs/s), which measures the missing autovacuum, not the queue. Both
 * queues get the same treatment.
 */
const ANALYZE_SQL = {
  jobdeck: `ANALYZE "jobs"`,
  graphile: `ANALYZE graphile_worker._private_jobs`,
};

/** The same for graphile-worker: its own bulk function, add_jobs, which sends its NOTIFY. */
export async function enqueueGraphile(client: pg.Client, count: number): Promise<bigint> {
  await client.query("BEGIN");
  for (let from = 0; from < count; from += BATCH) {
    await client.query(
      `SELECT graphile_worker.add_jobs(array(
         SELECT ROW('noop', json_build_object('n', g), NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec
         FROM generate_series($1::int, $2::int) AS g))`,
      [from, Math.min(count, from + BATCH) - 1],
    );
  }
  await client.query(ANALYZE_SQL.graphile);
  const committing = nowNs();
  await client.query("COMMIT");
  return committing;
}

/** Whether any job is still waiting or running: jobdeck keeps finished rows, graphile-worker deletes them. */
export const REMAINING_SQL = {
  jobdeck: `SELECT 1 FROM "jobs" WHERE "status" IN ('pending', 'running') LIMIT 1`,
  graphile: `SELECT 1 FROM graphile_worker._private_jobs LIMIT 1`,
};

export async function openClient(db: BenchDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  // A connection ended from outside (another suite terminating backends on this shared server) must
  // fail the target's next query, not end the whole run with an unheard 'error' event.
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/**
 * The `started <n> <ns>` lines a worker prints when a job with `report` starts
 * (bench/workers/report-start.ts): waits for job n's.
 */
export function startTimes(worker: Running): { next(n: number, timeoutMs: number): Promise<bigint> } {
  const seen = new Map<number, bigint>();
  const waiting = new Map<number, (ns: bigint) => void>();
  let partial = "";
  worker.child.stdout?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const match = /^started (-?\d+) (\d+)$/.exec(line);
      if (!match) continue;
      const n = Number(match[1]);
      const ns = BigInt(match[2]!);
      const resolve = waiting.get(n);
      if (resolve) resolve(ns);
      else seen.set(n, ns);
    }
  });
  return {
    next: (n, timeoutMs) => {
      const ns = seen.get(n);
      if (ns !== undefined) {
        seen.delete(n);
        return Promise.resolve(ns);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(n);
          reject(
            new Error(
              `${worker.name}: job ${n} did not start within ${timeoutMs} ms:\n${worker.output().slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        waiting.set(n, (started) => {
          clearTimeout(timer);
          waiting.delete(n);
          resolve(started);
        });
      });
    },
  };
}
