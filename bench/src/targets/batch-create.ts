import {
  openRawPostgresBatchInserter,
  openRawSqliteBatchInserter,
  type RawBatchInserter,
} from "../../baselines/raw-batch-insert.js";
import { CONTENDERS } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase, type Provider } from "../databases.js";
import { nowNs, nsToMs } from "../queues.js";
import { round, spread } from "../stats.js";
import { benchToken } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 0.5 } as const;
const BATCH_SIZE = 1_000;
const USER = "bench-r13";

type Way = "batch" | "raw" | "singles";
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

/** The rounds on one database: a fresh one, jobdeck's server on the server core, the raw inserter here. */
async function measure(ctx: BenchContext, provider: Provider): Promise<Round[]> {
  const { rounds, batches, singles: singleCount } = ctx.mode.batch;
  const db = await createBenchDatabase(provider, "r13");
  try {
    const server = await CONTENDERS.jobdeck.start(db, { core: ctx.cores.server, profileDir: ctx.profileDir });
    const raw = await openRaw(db);
    let offset = 0;
    const ways: Record<Way, () => Promise<number>> = {
      batch: () =>
        clock(batches * BATCH_SIZE, async () => {
          for (let b = 0; b < batches; b++)
            await postCreated(
              `${server.ready}/v1/jobs/batch`,
              { jobs: itemsOf(BATCH_SIZE, (offset += BATCH_SIZE)) },
              BATCH_SIZE,
            );
        }),
      raw: () =>
        clock(batches * BATCH_SIZE, async () => {
          for (let b = 0; b < batches; b++)
            await raw.insert(USER, itemsOf(BATCH_SIZE, (offset += BATCH_SIZE)));
        }),
      singles: () =>
        clock(singleCount, () =>
          singles(server.ready, singleCount, ctx.mode.connections, (offset += singleCount)),
        ),
    };
    try {
      // Warm-up: each way once, unclocked (JIT, prepared statements, the tables' first pages).
      for (const way of ["batch", "raw", "singles"] as const) await ways[way]();
      const results: Round[] = [];
      for (let i = 0; i < rounds; i++) {
        // Rotate which goes first, so none always meets a machine warmed (or loaded) by the others.
        const order = (["batch", "raw", "singles"] as const).map((_, k, all) => all[(k + i) % all.length]!);
        const result = {} as Round;
        for (const way of order) result[way] = await ways[way]();
        results.push(result);
        ctx.log(
          `  ${provider} round ${i + 1}/${rounds}: batch ${result.batch.toFixed(0)} jobs/s, raw INSERT ${result.raw.toFixed(0)} jobs/s, single creates ${result.singles.toFixed(0)} jobs/s`,
        );
      }
      return results;
    } finally {
      await raw.close();
      await server.stop();
    }
  } finally {
    await db.drop();
  }
}

/** R13: POST /v1/jobs/batch of 1,000 echo jobs, jobs/s ÷ a raw multi-row INSERT of the same rows, and ÷ single creates. */
export const batchCreateTarget: Target = {
  id: "R13",
  title: "POST /v1/jobs/batch of 1,000 echo jobs, jobs/s: jobdeck ÷ a raw multi-row INSERT of the same rows",
  goal: "≥ 0.5×",
  providers: [],
  unavailable: (ctx) => (ctx.reachable.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const measurements: Measurement[] = [];
    for (const provider of ctx.reachable) {
      const rounds = await measure(ctx, provider);
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      const perSecond = (way: Way) => rounds.map((r) => round(r[way], 0));
      const versusRaw = rounds.map((r) => r.batch / r.raw);
      const versusSingles = rounds.map((r) => r.batch / r.singles);
      measurements.push({
        label: `${name}: batch ÷ raw multi-row INSERT, jobs/s`,
        provider,
        unit: "×",
        value: spread(versusRaw),
        goal: GOAL,
        isMet: meets(spread(versusRaw).median, GOAL),
        rounds: {
          ratio: versusRaw.map((r) => round(r, 3)),
          "batch jobs/s": perSecond("batch"),
          "raw INSERT jobs/s": perSecond("raw"),
          "single creates jobs/s": perSecond("singles"),
        },
        extra: {
          "batch jobs/s (median)": round(spread(rounds.map((r) => r.batch)).median, 0),
          "raw INSERT jobs/s (median)": round(spread(rounds.map((r) => r.raw)).median, 0),
          "single creates jobs/s (median)": round(spread(rounds.map((r) => r.singles)).median, 0),
          "batch ÷ single creates (median)": round(spread(versusSingles).median, 1),
        },
        command: commandFor(ctx.mode, "R13"),
      });
    }
    const { rounds, batches, singles: singleCount } = ctx.mode.batch;
    return {
      id: "R13",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `Per database: a fresh database, jobdeck's server (\`node apps/api/dist/src/main.js\`, pinned to the server core) and ${rounds} round${rounds === 1 ? "" : "s"} after one unclocked warm-up, the order of the three ways rotating. Each round clocks ${batches} × POST /v1/jobs/batch of ${BATCH_SIZE.toLocaleString("en")} \`echo\` jobs one after the other (each answer checked: 201 with ${BATCH_SIZE.toLocaleString("en")} jobs); ${batches} × the same rows written by \`bench/baselines/raw-batch-insert.ts\` (one multi-row INSERT … VALUES per batch through the driver, from the bench process: no HTTP, validation, queue row, events or answer); and ${singleCount.toLocaleString("en")} POST /v1/jobs over ${ctx.mode.connections} connections.`,
        "jobdeck's batch also checks each item with the contract and its type's schema, ensures the queue, appends one event per job, computes each job's waitReason and sends back the 1,000 jobs; the tables keep growing over the rounds, alike for all three.",
      ],
    };
  },
};
