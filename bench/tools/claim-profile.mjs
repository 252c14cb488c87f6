// Which statements a claim runs and how long each takes, on PostgreSQL: R10's jobs (a queue with
// `jobs` no-op jobs over `keys` keys), limited as R10 or not, claimed 8 at a time in this process
// through jobdeck's own store (apps/api/dist) and settled as completed, as the worker does; every
// statement the API sends is timed on the client (round trip included) while a claim is under way.
//
// Usage (after npm run bench has built bench/dist): node bench/tools/claim-profile.mjs
//   [--variant limited|open] [--jobs 20000] [--keys 10000] [--claims 400] [--keep (the database, to EXPLAIN)]
import { parseArgs } from "node:util";
import pg from "pg";
import { openJobdeckStore } from "../dist/src/api-dist.js";
import { JOBDECK_ENV, NOOP_JOB_TYPE } from "../dist/src/contenders.js";
import { createBenchDatabase } from "../dist/src/databases.js";
import { enqueueJobdeck, openClient } from "../dist/src/queues.js";
import { R10_LIMITS } from "../dist/src/targets/limited-throughput.js";
import { BENCH_JWT_SECRET } from "../dist/src/tokens.js";

const { values } = parseArgs({
  options: {
    variant: { type: "string", default: "limited" },
    jobs: { type: "string", default: "20000" },
    keys: { type: "string", default: "10000" },
    claims: { type: "string", default: "400" },
    keep: { type: "boolean", default: false },
  },
});
const jobs = Number(values.jobs);
const keys = Number(values.keys);

/** Statement text → [count, total ms], for statements sent while `isTiming`. */
const timings = new Map();
let isTiming = false;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function timedQuery(config, ...rest) {
  const text = typeof config === "string" ? config : (config?.text ?? "");
  const started = process.hrtime.bigint();
  const result = originalQuery.call(this, config, ...rest);
  if (isTiming && result && typeof result.then === "function") {
    const record = () => {
      const key = text
        .replace(/\s+/g, " ")
        .replace(/BEGIN; /, "")
        .slice(0, 110);
      const entry = timings.get(key) ?? [0, 0];
      entry[0] += 1;
      entry[1] += Number(process.hrtime.bigint() - started) / 1e6;
      timings.set(key, entry);
    };
    result.then(record, record);
  }
  return result;
};

const db = await createBenchDatabase("postgresql", "profile");
try {
  const env = { ...JOBDECK_ENV, LOG_LEVEL: "silent", DATABASE_URL: db.url, JWT_SECRET: BENCH_JWT_SECRET };
  const { store, putQueueSettings, close } = await openJobdeckStore(env);
  try {
    if (values.variant === "limited") await putQueueSettings("bench", "r10", R10_LIMITS);
    const client = await openClient(db);
    await enqueueJobdeck(client, jobs, {
      queue: "r10",
      keyOf: (n) => `key-${String(n % keys).padStart(5, "0")}`,
    });
    await client.end();

    const claimMs = [];
    let claimed = 0;
    for (let i = 0; i < Number(values.claims); i++) {
      isTiming = true;
      const started = process.hrtime.bigint();
      const rows = await store.claimJobs({
        owner: `profile#${i}`,
        types: [NOOP_JOB_TYPE],
        limit: 8,
        leaseMs: 30_000,
        now: new Date(),
      });
      claimMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      isTiming = false;
      claimed += rows.length;
      if (rows.length === 0) break;
      await Promise.all(
        rows.map((row) =>
          store.settleAttempt(
            { id: row.id, attempts: row.attempts, leaseOwner: row.leaseOwner },
            { status: "completed", result: null },
            new Date(),
          ),
        ),
      );
    }
    const sorted = [...claimMs].sort((a, b) => a - b);
    const total = claimMs.reduce((a, b) => a + b, 0);
    console.log(
      `${values.variant}: ${claimMs.length} claims, ${claimed} jobs (${(claimed / claimMs.length).toFixed(2)} per claim); claim ms p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}, mean ${(total / claimMs.length).toFixed(2)}; ${((total / claimed) * 1000).toFixed(0)} µs of claim per job`,
    );
    console.log("statements sent while claiming (count, total ms, ms per claim, ms each):");
    for (const [text, [count, ms]] of [...timings.entries()].sort((a, b) => b[1][1] - a[1][1]))
      console.log(
        `${String(count).padStart(6)} ${ms.toFixed(0).padStart(7)} ${(ms / claimMs.length).toFixed(3).padStart(8)} ${(ms / count).toFixed(3).padStart(8)}  ${text}`,
      );
  } finally {
    await close();
  }
} finally {
  if (values.keep) console.log(`kept ${db.url}`);
  else await db.drop();
}
