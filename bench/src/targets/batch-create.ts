import {
  openRawPostgresBatchInserter,
  openRawSqliteBatchInserter,
  type RawBatchInserter,
} from "../../baselines/raw-batch-insert.js";
import { baselineFor, CONTENDERS } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase, type Provider } from "../databases.js";
import { nowNs, nsToMs } from "../queues.js";
import { round, spread } from "../stats.js";
import { benchToken } from "../tokens.js";
import { assertSameAnswer, post } from "../http.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 0.5 } as const;
const BATCH_SIZE = 1_000;
const USER = "bench-r13";

type Way = "batch" | "raw" | "insert" | "singles";
const WAYS: Way[] = ["batch", "raw", "insert", "singles"];
type Round = Record<Way, number>;

const itemsOf = (count: number, offset: number) =>
  Array.from({ length: count }, (_, n) => ({ type: "echo", payload: { message: "bench", n: offset + n } }));

const headers = () => ({ authorization: `Bearer ${benchToken(USER)}`, "content-type": "application/json" });

/** One POST, refusing anything but a 201 (a refused batch would be timed as a fast one). */
async function postCreated(url: string, body: unknown, expectJobs: number | undefined): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: headers(), body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`R13: ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  if (expectJobs !== undefined) {
    const { data } = JSON.parse(text) as { data: { jobs: unknown[] } };
    if (data.jobs.length !== expectJobs) throw new Error(`R13: a batch answered ${data.jobs.length} jobs`);
  }
}

/** Ids, times and batch ids differ from one batch to the next; everything else must match. */
const withoutIdentity = (body: unknown) => {
  const { data, ...rest } = body as { data?: { jobs?: Record<string, unknown>[] } };
  if (!data?.jobs) return body;
  return {
    ...rest,
    data: data.jobs.map(({ id: _i, createdAt: _c, updatedAt: _u, runAt: _r, batchId: _b, ...job }) => job),
  };
};

/** Jobs per second of `jobs` jobs made by `make`, clocked from its start to its end. */
async function clock(jobs: number, make: () => Promise<void>): Promise<number> {
  const started = nowNs();
  await make();
  return jobs / (nsToMs(nowNs() - started) / 1000);
}

/** `count` single creates over `connections` concurrent requests. */
async function singles(url: string, count: number, connections: number, offset: number): Promise<void> {
  const items = itemsOf(count, offset);
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < items.length; i = next++)
        await postCreated(`${url}/v1/jobs`, items[i], undefined);
    }),
  );
}

const openRaw = (db: BenchDatabase): Promise<RawBatchInserter> =>
  db.provider === "sqlite"
    ? Promise.resolve(openRawSqliteBatchInserter(db.location))
    : openRawPostgresBatchInserter(db.url);

/**
 * The rounds on one database: a fresh one, jobdeck's server and the raw baseline server on the
 * server core (one at a time busy), the driver-only inserter in this process.
 */
async function measure(ctx: BenchContext, provider: Provider): Promise<Round[]> {
  const { rounds, batches, singles: singleCount } = ctx.mode.batch;
  const db = await createBenchDatabase(provider, "r13");
  try {
    const options = { core: ctx.cores.server, profileDir: ctx.profileDir };
    const jobdeck = await CONTENDERS.jobdeck.start(db, options);
    const baseline = await CONTENDERS[baselineFor(provider)].start(db, options);
    const insert = await openRaw(db);
    let offset = 0;
    const batchesTo = (url: string) => () =>
      clock(batches * BATCH_SIZE, async () => {
        for (let b = 0; b < batches; b++)
          await postCreated(
            `${url}/v1/jobs/batch`,
            { jobs: itemsOf(BATCH_SIZE, (offset += BATCH_SIZE)) },
            BATCH_SIZE,
          );
      });
    const ways: Record<Way, () => Promise<number>> = {
      batch: batchesTo(jobdeck.ready),
      raw: batchesTo(baseline.ready),
      insert: () =>
        clock(batches * BATCH_SIZE, async () => {
          for (let b = 0; b < batches; b++)
            await insert.insert(USER, itemsOf(BATCH_SIZE, (offset += BATCH_SIZE)));
        }),
      singles: () =>
        clock(singleCount, () =>
          singles(jobdeck.ready, singleCount, ctx.mode.connections, (offset += singleCount)),
        ),
    };
    try {
      await assertSameAnswer(
        "R13",
        [
          { name: "jobdeck", url: jobdeck.ready },
          { name: baselineFor(provider), url: baseline.ready },
        ],
        post("/v1/jobs/batch", USER, { jobs: itemsOf(3, 0) }),
        withoutIdentity,
      );
      // Warm-up: each way once, unclocked (JIT, prepared statements, the tables' first pages).
      for (const way of WAYS) await ways[way]();
      const results: Round[] = [];
      for (let i = 0; i < rounds; i++) {
        // Rotate which goes first, so none always meets a machine warmed (or loaded) by the others.
        const order = WAYS.map((_, k) => WAYS[(k + i) % WAYS.length]!);
        const result = {} as Round;
        for (const way of order) result[way] = await ways[way]();
        results.push(result);
        ctx.log(
          `  ${provider} round ${i + 1}/${rounds}: jobdeck batch ${result.batch.toFixed(0)} jobs/s, raw batch ${result.raw.toFixed(0)}, INSERT alone ${result.insert.toFixed(0)}, single creates ${result.singles.toFixed(0)}`,
        );
      }
      return results;
    } finally {
      await insert.close();
      await Promise.all([jobdeck.stop(), baseline.stop()]);
    }
  } finally {
    await db.drop();
  }
}

/** R13: POST /v1/jobs/batch of 1,000 echo jobs, jobs/s ÷ a raw multi-row INSERT of the same rows, and ÷ single creates. */
export const batchCreateTarget: Target = {
  id: "R13",
  title:
    "POST /v1/jobs/batch of 1,000 echo jobs, jobs/s: jobdeck ÷ raw node:http + one multi-row INSERT of the same rows",
  goal: "≥ 0.5×",
  providers: [],
  unavailable: (ctx) => (ctx.reachable.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const measurements: Measurement[] = [];
    for (const provider of ctx.reachable) {
      const rounds = await measure(ctx, provider);
      const baseline = baselineFor(provider);
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      const perSecond = (way: Way) => rounds.map((r) => round(r[way], 0));
      const median = (of: (r: Round) => number) => spread(rounds.map(of)).median;
      const ratio = rounds.map((r) => r.batch / r.raw);
      measurements.push({
        label: `${name}: jobdeck ÷ ${baseline}, batch jobs/s`,
        provider,
        unit: "×",
        value: spread(ratio),
        goal: GOAL,
        isMet: meets(spread(ratio).median, GOAL),
        rounds: {
          ratio: ratio.map((r) => round(r, 3)),
          "jobdeck batch jobs/s": perSecond("batch"),
          "raw baseline batch jobs/s": perSecond("raw"),
          "INSERT alone jobs/s": perSecond("insert"),
          "jobdeck single creates jobs/s": perSecond("singles"),
        },
        extra: {
          "jobdeck batch jobs/s (median)": round(
            median((r) => r.batch),
            0,
          ),
          "raw baseline batch jobs/s (median)": round(
            median((r) => r.raw),
            0,
          ),
          "INSERT alone jobs/s (median)": round(
            median((r) => r.insert),
            0,
          ),
          "jobdeck single creates jobs/s (median)": round(
            median((r) => r.singles),
            0,
          ),
          "batch ÷ INSERT alone (median)": round(
            median((r) => r.batch / r.insert),
            2,
          ),
          "batch ÷ single creates (median)": round(
            median((r) => r.batch / r.singles),
            1,
          ),
        },
        command: commandFor(ctx.mode, "R13"),
      });
    }
    const { rounds, batches, singles: singleCount } = ctx.mode.batch;
    const size = BATCH_SIZE.toLocaleString("en");
    return {
      id: "R13",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `Per database: a fresh database; jobdeck's server and the raw baseline (raw-sqlite.ts or raw-postgres.ts, which gained POST /v1/jobs/batch) on it, both pinned to the server core; ${rounds} round${rounds === 1 ? "" : "s"} after one unclocked warm-up, the order of the four ways rotating. Each round clocks ${batches} × POST /v1/jobs/batch of ${size} \`echo\` jobs one after the other to jobdeck, and the same to the baseline (each answer checked: 201 with ${size} jobs; both answer the same body but for ids, times and the batch id, checked first); ${batches} × the same rows written by \`bench/baselines/raw-batch-insert.ts\` from the bench process (INSERT alone: no HTTP, token, validation, queue row or answer); and ${singleCount.toLocaleString("en")} POST /v1/jobs to jobdeck over ${ctx.mode.connections} connections.`,
        "The baseline checks the token and each item's type and payload, ensures the queue, computes the wait reason, writes the rows with one multi-row INSERT … VALUES in a transaction and answers the same JSON. jobdeck also checks each item against the contract and its type's schema, appends one event per job (job_events, with the job's JSON) in the same transaction, and runs its middleware (request id, logs, metrics, rate limit, compression). The tables keep growing over the rounds, alike for all.",
      ],
    };
  },
};
