import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import {
  openRawPostgresBatchInserter,
  openRawSqliteBatchInserter,
  type RawBatchInserter,
} from "../../baselines/raw-batch-insert.js";
import { CONTENDERS } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase, type Provider } from "../databases.js";
import { nowNs, nsToMs } from "../queues.js";
import { quantile, round, spread } from "../stats.js";
import { benchToken } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const SPEED_GOAL = { op: ">=", value: 0.3 } as const;
const LATENCY_GOAL = { op: "<=", value: 3 } as const;
const INSERT_CHUNK = 5_000;
/** The list request whose latency is watched: the first page of another user's jobs, as a dashboard reads it. */
const LIST_USER = "bench-r17-reader";
const LIST_JOBS = 1_000;

type Round = {
  jobdeckPerSecond: number;
  rawPerSecond: number;
  idleP99: number;
  duringP99: number;
  duringRequests: number;
};

const items = (count: number) =>
  Array.from({ length: count }, (_, n) => ({ type: "echo", payload: { message: "bench", n } }));

async function seed(insert: RawBatchInserter, userId: string, count: number) {
  for (let done = 0; done < count; done += INSERT_CHUNK)
    await insert.insert(userId, items(Math.min(INSERT_CHUNK, count - done)));
}

/** One raw `UPDATE` of the same rows, on the driver: the baseline. */
async function rawCancel(db: BenchDatabase, userId: string): Promise<{ ms: number; count: number }> {
  const sql = `UPDATE "jobs" SET "status" = 'cancelled', "finishedAt" = $now, "updatedAt" = $now
    WHERE "userId" = $userId AND "status" = 'pending'`;
  if (db.provider === "sqlite") {
    const connection = new Database(db.location, { timeout: 10_000 });
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    try {
      const started = nowNs();
      const { changes } = connection
        .prepare(sql.replaceAll("$now", "@now").replaceAll("$userId", "@userId"))
        .run({ now: Date.now(), userId });
      return { ms: nsToMs(nowNs() - started), count: changes };
    } finally {
      connection.close();
    }
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const started = nowNs();
    const result = await client.query(sql.replaceAll("$now", "$1").replaceAll("$userId", "$2"), [
      new Date(),
      userId,
    ]);
    return { ms: nsToMs(nowNs() - started), count: result.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}

/** List requests one after another until `until` resolves; their latencies in ms. */
async function listLatencies(url: string, count: number | Promise<unknown>): Promise<number[]> {
  const headers = { authorization: `Bearer ${benchToken(LIST_USER)}` };
  const latencies: number[] = [];
  let isDone = false;
  if (typeof count !== "number") void count.finally(() => (isDone = true));
  for (let i = 0; typeof count === "number" ? i < count : !isDone; i++) {
    const started = nowNs();
    const response = await fetch(`${url}/v1/jobs?limit=20`, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`R17: the list answered ${response.status}`);
    latencies.push(nsToMs(nowNs() - started));
  }
  return latencies;
}

/**
 * One list request after a pause (seeding 100,000 rows takes longer than the server's 5 s keep-alive),
 * retried once: the server may close the idle kept-alive connection just as fetch reuses it, which
 * fails that request with "fetch failed" (other side closed). A server that is down fails twice.
 */
async function wake(url: string): Promise<void> {
  const headers = { authorization: `Bearer ${benchToken(LIST_USER)}` };
  for (let attempt = 1; ; attempt++) {
    try {
      await (await fetch(`${url}/v1/jobs?limit=20`, { headers })).arrayBuffer();
      return;
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
}

const p99 = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.99,
  );

/** POST /v1/bulk-operations, then its progress until it completes; the time from the POST to the end. */
async function bulkCancel(url: string, userId: string, expected: number): Promise<number> {
  const headers = {
    authorization: `Bearer ${benchToken(userId)}`,
    "content-type": "application/json",
    "idempotency-key": randomUUID(),
  };
  const started = nowNs();
  const response = await fetch(`${url}/v1/bulk-operations`, {
    method: "POST",
    headers,
    body: JSON.stringify({ action: "cancel", filter: { status: "pending" } }),
  });
  const text = await response.text();
  if (response.status !== 202)
    throw new Error(`R17: the bulk operation answered ${response.status}: ${text}`);
  const { data } = JSON.parse(text) as { data: { id: string; matched: number } };
  if (data.matched !== expected) throw new Error(`R17: matched ${data.matched}, expected ${expected}`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const current = await fetch(`${url}/v1/bulk-operations/${data.id}`, { headers });
    const body = (await current.json()) as { data: { status: string; succeeded: number } };
    if (body.data.status === "running") continue;
    if (body.data.status !== "completed" || body.data.succeeded !== expected)
      throw new Error(`R17: the operation ended ${JSON.stringify(body.data)}`);
    return nsToMs(nowNs() - started);
  }
}

async function measure(ctx: BenchContext, provider: Provider): Promise<Round[]> {
  const { rounds, jobs, idleRequests } = ctx.mode.bulk;
  const db = await createBenchDatabase(provider, "r17");
  try {
    const insert =
      provider === "sqlite"
        ? openRawSqliteBatchInserter(db.location)
        : await openRawPostgresBatchInserter(db.url);
    const jobdeck = await CONTENDERS.jobdeck.start(db, {
      core: ctx.cores.server,
      profileDir: ctx.profileDir,
    });
    try {
      await seed(insert, LIST_USER, LIST_JOBS);
      await listLatencies(jobdeck.ready, 50);
      const results: Round[] = [];
      for (let i = 0; i < rounds; i++) {
        const bulkUser = `bench-r17-bulk-${i}`;
        const rawUser = `bench-r17-raw-${i}`;
        await seed(insert, bulkUser, jobs);
        await seed(insert, rawUser, jobs);
        await wake(jobdeck.ready);
        const idle = await listLatencies(jobdeck.ready, idleRequests);
        const bulk = bulkCancel(jobdeck.ready, bulkUser, jobs);
        const during = await listLatencies(jobdeck.ready, bulk);
        const bulkMs = await bulk;
        const raw = await rawCancel(db, rawUser);
        if (raw.count !== jobs) throw new Error(`R17: the raw UPDATE changed ${raw.count} rows`);
        const result = {
          jobdeckPerSecond: jobs / (bulkMs / 1000),
          rawPerSecond: jobs / (raw.ms / 1000),
          idleP99: p99(idle),
          duringP99: p99(during),
          duringRequests: during.length,
        };
        results.push(result);
        ctx.log(
          `  ${provider} round ${i + 1}/${rounds}: bulk cancel ${result.jobdeckPerSecond.toFixed(0)} jobs/s, raw UPDATE ${result.rawPerSecond.toFixed(0)} jobs/s; list p99 idle ${result.idleP99.toFixed(1)} ms, during ${result.duringP99.toFixed(1)} ms (${during.length} requests)`,
        );
      }
      return results;
    } finally {
      await insert.close();
      await jobdeck.stop();
    }
  } finally {
    await db.drop();
  }
}

/** R17: bulk cancel of pending jobs, jobs/s ÷ one raw UPDATE of the same rows; the list's p99 during it ÷ idle. */
export const bulkCancelTarget: Target = {
  id: "R17",
  title:
    "Bulk cancel of 100,000 pending jobs: jobs/s ÷ one raw UPDATE of the same rows, and the list's p99 during it ÷ idle",
  goal: "≥ 0.3× the raw UPDATE; list p99 ≤ 3× idle",
  providers: [],
  unavailable: (ctx) => (ctx.reachable.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const measurements: Measurement[] = [];
    for (const provider of ctx.reachable) {
      const rounds = await measure(ctx, provider);
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      const speed = rounds.map((r) => r.jobdeckPerSecond / r.rawPerSecond);
      const latency = rounds.map((r) => r.duringP99 / r.idleP99);
      const median = (of: (r: Round) => number) => spread(rounds.map(of)).median;
      measurements.push(
        {
          label: `${name}: bulk cancel ÷ one raw UPDATE, jobs/s`,
          provider,
          unit: "×",
          value: spread(speed),
          goal: SPEED_GOAL,
          isMet: meets(spread(speed).median, SPEED_GOAL),
          rounds: {
            ratio: speed.map((r) => round(r, 3)),
            "bulk cancel jobs/s": rounds.map((r) => round(r.jobdeckPerSecond, 0)),
            "raw UPDATE jobs/s": rounds.map((r) => round(r.rawPerSecond, 0)),
          },
          extra: {
            "bulk cancel jobs/s (median)": round(
              median((r) => r.jobdeckPerSecond),
              0,
            ),
            "raw UPDATE jobs/s (median)": round(
              median((r) => r.rawPerSecond),
              0,
            ),
          },
          command: commandFor(ctx.mode, "R17"),
        },
        {
          label: `${name}: list p99 during the bulk cancel ÷ idle`,
          provider,
          unit: "×",
          value: spread(latency),
          goal: LATENCY_GOAL,
          isMet: meets(spread(latency).median, LATENCY_GOAL),
          rounds: {
            ratio: latency.map((r) => round(r, 3)),
            "idle p99 ms": rounds.map((r) => round(r.idleP99, 2)),
            "during p99 ms": rounds.map((r) => round(r.duringP99, 2)),
            "requests during": rounds.map((r) => r.duringRequests),
          },
          extra: {
            "idle p99 ms (median)": round(
              median((r) => r.idleP99),
              2,
            ),
            "during p99 ms (median)": round(
              median((r) => r.duringP99),
              2,
            ),
          },
          command: commandFor(ctx.mode, "R17"),
        },
      );
    }
    const { rounds, jobs, idleRequests } = ctx.mode.bulk;
    return {
      id: "R17",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `Per database: a fresh database and jobdeck's server (WORKER_CONCURRENCY=0, so the jobs stay pending) pinned to the server core. ${rounds} round${rounds === 1 ? "" : "s"}; in each, ${jobs.toLocaleString("en")} pending \`echo\` jobs of one user are cancelled by POST /v1/bulk-operations { action: cancel, filter: { status: pending } }, clocked from the POST to the moment GET /v1/bulk-operations/{id} says completed (every job counted as succeeded), and ${jobs.toLocaleString("en")} other pending jobs by one \`UPDATE … SET status = 'cancelled'\` on the driver (no events, no HTTP).${jobs < 100_000 ? ` This mode uses ${jobs.toLocaleString("en")} jobs rather than the issue's 100,000 (\`npm run bench\` runs 100,000).` : ""}`,
        `The list's latency: GET /v1/jobs?limit=20 of another user (${LIST_JOBS.toLocaleString("en")} jobs), one request after another, ${idleRequests} while idle, then for as long as the operation runs; p99 of each. jobdeck also writes one \`job\` event per cancelled job (with the job's JSON) and the operation's snapshot and counts, in chunks of 250 with a turn of the event loop between them.`,
      ],
    };
  },
};
