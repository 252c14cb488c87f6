import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { openJobdeckWebhooks } from "../api-dist.js";
import { JOBDECK_ENV, jobdeckEntry } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase, type Provider } from "../databases.js";
import { workDir } from "../paths.js";
import { startServer, type Running } from "../processes.js";
import { quantile, round, spread } from "../stats.js";
import { BENCH_JWT_SECRET } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";
import { dirname } from "node:path";

/** R14's sender: messages one process sends at once. */
const CONCURRENCY = 8;
/** A type no worker has loaded: the jobs stay pending, and only their job.created messages go out. */
const UNRUN_TYPE = "bench.webhook-source";
const LAG_SPACING_MS = 20;
/**
 * The issue sets no target for R14; these are ours: one process clears a burst of 1,000 events in
 * at most 10 s, and a message arrives within a second of its commit (as §11 asks of a job's start).
 */
const RATE_GOAL = { op: ">=", value: 100 } as const;
const LAG_P99_GOAL = { op: "<=", value: 1_000 } as const;

const SIZES = {
  full: { messages: 2_000, rounds: 5, lagJobs: 500 },
  quick: { messages: 1_000, rounds: 2, lagJobs: 200 },
  smoke: { messages: 50, rounds: 1, lagJobs: 10 },
} as const;

type Receiver = {
  url: string;
  /** Arrival time (ms since the epoch) of each message, by its `data.id` (the job). */
  arrivals: Map<string, number>;
  /** Resolves once `count` distinct messages have arrived since `reset`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
};

/** A local receiver that answers 204 to everything and notes when each message first arrived. */
async function startReceiver(): Promise<Receiver> {
  const arrivals = new Map<string, number>();
  let waiter: { count: number; resolve: () => void } | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = Date.now();
      const { data } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: { id: string } };
      if (!arrivals.has(data.id)) arrivals.set(data.id, at);
      res.writeHead(204).end();
      if (waiter && arrivals.size >= waiter.count) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/r14`,
    arrivals,
    reset: () => arrivals.clear(),
    waitFor: (count, timeoutMs) =>
      new Promise((resolve, reject) => {
        if (arrivals.size >= count) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`R14: ${arrivals.size} of ${count} messages arrived in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = undefined;
            resolve();
          },
        };
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** jobdeck's worker process (worker-main.js), which sends webhooks, allowed to reach the local receiver. */
const startSender = (ctx: BenchContext, db: BenchDatabase): Promise<Running> =>
  startServer(
    "jobdeck-webhook-sender",
    ctx.cores.server,
    process.execPath,
    [join(dirname(jobdeckEntry), "worker-main.js")],
    {
      env: {
        ...JOBDECK_ENV,
        WORKER_CONCURRENCY: "1",
        WEBHOOK_CONCURRENCY: String(CONCURRENCY),
        HTTP_REQUEST_ALLOW_PRIVATE: "true",
        DATABASE_URL: db.url,
        JWT_SECRET: BENCH_JWT_SECRET,
        DATA_DIR: join(workDir, "data"),
      },
      readyPattern: /jobdeck worker (\S+) is running/,
    },
  );

type ProviderFigures = { rates: number[]; lags: number[] };

async function measure(ctx: BenchContext, provider: Provider): Promise<ProviderFigures> {
  const size = SIZES[ctx.mode.name];
  const db = await createBenchDatabase(provider, "r14");
  const receiver = await startReceiver();
  const jobdeck = await openJobdeckWebhooks({
    ...JOBDECK_ENV,
    LOG_LEVEL: "silent",
    DATABASE_URL: db.url,
    JWT_SECRET: BENCH_JWT_SECRET,
  });
  let sender: Running | undefined;
  const enqueue = (id: string) =>
    jobdeck.store.insertJob(
      {
        id,
        userId: "bench",
        type: UNRUN_TYPE,
        resultType: "json",
        payload: {},
        maxAttempts: 1,
        timeoutMs: 1_000,
      },
      new Date(),
    );
  try {
    await jobdeck.createWebhook("bench", receiver.url, ["job.created"]);
    const figures: ProviderFigures = { rates: [], lags: [] };
    for (let round_ = 0; round_ < size.rounds; round_++) {
      // Throughput: the messages are written first, then a sender starts and sends them all.
      receiver.reset();
      for (let i = 0; i < size.messages; i++) await enqueue(randomUUID());
      const started = Date.now();
      sender = await startSender(ctx, db);
      await receiver.waitFor(size.messages, 300_000);
      const last = Math.max(...receiver.arrivals.values());
      // From the sender's start (its boot included, a few hundred ms) to the last arrival.
      const rate = size.messages / ((last - started) / 1000);
      figures.rates.push(rate);
      ctx.log(`  ${provider} round ${round_ + 1}/${size.rounds}: ${rate.toFixed(0)} deliveries/s`);
      // Lag: with the sender running, jobs one at a time, every LAG_SPACING_MS; commit → arrival.
      receiver.reset();
      const sentAt = new Map<string, number>();
      for (let i = 0; i < size.lagJobs; i++) {
        const id = randomUUID();
        await enqueue(id);
        sentAt.set(id, Date.now());
        await new Promise((resolve) => setTimeout(resolve, LAG_SPACING_MS));
      }
      await receiver.waitFor(size.lagJobs, 60_000);
      for (const [id, at] of sentAt) figures.lags.push(receiver.arrivals.get(id)! - at);
      await sender.stop();
      sender = undefined;
    }
    return figures;
  } finally {
    await sender?.stop();
    await jobdeck.close();
    await receiver.close();
    await db.drop().catch((e: unknown) => ctx.log(`  could not drop ${db.location}: ${String(e)}`));
  }
}

/** R14: webhook deliveries/s to a local receiver at a sender concurrency of 8, and delivery lag p50/p99. */
export const webhookDeliveriesTarget: Target = {
  id: "R14",
  title: "Webhook deliveries/s to a local receiver at a sender concurrency of 8, and delivery lag p50 / p99",
  goal: "ours (the issue sets none): ≥ 100 deliveries/s; lag p99 ≤ 1,000 ms",
  providers: ["sqlite", "postgresql"],
  unavailable: () => undefined,
  async run(ctx) {
    const measurements: Measurement[] = [];
    for (const provider of ctx.reachable) {
      ctx.log(`  ${provider}`);
      const { rates, lags } = await measure(ctx, provider);
      const sorted = [...lags].sort((a, b) => a - b);
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      const rate = spread(rates);
      const p99 = quantile(sorted, 0.99);
      measurements.push(
        {
          label: `${name}: webhook deliveries/s (job.created messages, ${CONCURRENCY} at once, one sender process)`,
          provider,
          unit: "req/s",
          value: rate,
          goal: RATE_GOAL,
          isMet: meets(rate.median, RATE_GOAL),
          rounds: { "deliveries/s": rates.map((r) => round(r, 0)) },
          command: commandFor(ctx.mode, "R14"),
        },
        {
          label: `${name}: delivery lag, commit of the job change → arrival at the receiver, p99`,
          provider,
          unit: "ms",
          value: spread([p99]),
          goal: LAG_P99_GOAL,
          isMet: meets(p99, LAG_P99_GOAL),
          extra: {
            "p50 ms": round(quantile(sorted, 0.5), 1),
            "max ms": round(sorted.at(-1) ?? 0, 1),
            jobs: lags.length,
          },
          command: commandFor(ctx.mode, "R14"),
        },
      );
    }
    const size = SIZES[ctx.mode.name];
    return {
      id: "R14",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `Per database and round, a fresh database with one webhook (events job.created) pointing at a local HTTP receiver in the bench's process that answers 204. Throughput: ${size.messages.toLocaleString("en")} jobs created through jobdeck's job store (their messages written in the same transactions), then a worker process (worker-main.js, WORKER_CONCURRENCY 1, WEBHOOK_CONCURRENCY ${CONCURRENCY}, pinned to the server core) starts and sends them; the rate is messages ÷ (last arrival − the process's spawn), so its boot is counted against it. The jobs are of a type no worker runs, so only the webhook messages move.`,
        `Lag: with the sender running, ${size.lagJobs} jobs created one at a time, ${LAG_SPACING_MS} ms apart; lag = first arrival of its message − the moment the create returned (its commit). It includes the wake-up (PostgreSQL's NOTIFY from the bench's process; on SQLite, where processes cannot signal each other, the sender process polls every WEBHOOK_POLL_MS = 250 ms, so SQLite's lag here is mostly that poll; in npm start's single process the signal is immediate), the claim, signing, a fresh TCP connection and the attempt's record.`,
      ],
    };
  },
};
