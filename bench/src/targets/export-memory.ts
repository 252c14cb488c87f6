import { CONTENDERS } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import { createBenchDatabase, type BenchDatabase, type Provider } from "../databases.js";
import { peakRssMb, rssMb } from "../processes.js";
import { nowNs, nsToMs } from "../queues.js";
import { seedPostgres } from "../seed/seed-postgres.js";
import { seedSqliteElsewhere } from "../seed/seed-elsewhere.js";
import { userId } from "../seed/plan.js";
import { round, spread } from "../stats.js";
import { benchToken } from "../tokens.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const RSS_GOAL = { op: "<=", value: 200 } as const;
const FORMATS = ["ndjson", "csv"] as const;
type Format = (typeof FORMATS)[number];
const SAMPLE_MS = 50;
const POINT_MS = 500;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

type Round = {
  rows: number;
  ms: number;
  bytes: number;
  peakMb: number;
  sampledMb: number;
  idleMb: number;
  /** The Content-Encoding the server chose for fetch's `Accept-Encoding`, as a browser's would be. */
  encoding: string;
  /** RSS over the export: [seconds, MB] every POINT_MS. */
  points: [number, number][];
};

/**
 * Counts the records of an export as it arrives, without keeping it: NDJSON is a line per job; in
 * CSV a line break ends a record only outside a quoted field (RFC 4180), and the header is no job.
 */
function recordCounter(format: Format) {
  let lines = 0;
  let isQuoted = false;
  return {
    add(chunk: Uint8Array) {
      if (format === "ndjson") {
        const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        for (let at = buffer.indexOf(NEWLINE); at !== -1; at = buffer.indexOf(NEWLINE, at + 1)) lines++;
        return;
      }
      for (const byte of chunk) {
        if (byte === QUOTE) isQuoted = !isQuoted;
        else if (byte === NEWLINE && !isQuoted) lines++;
      }
    },
    records: () => (format === "csv" ? lines - 1 : lines),
  };
}

/** One export on a fresh server: the time to the last byte, the records, and the server's RSS. */
async function exportOnce(
  ctx: BenchContext,
  db: BenchDatabase,
  owner: string,
  format: Format,
): Promise<Round> {
  const server = await CONTENDERS.jobdeck.start(db, { core: ctx.cores.server, profileDir: ctx.profileDir });
  try {
    const idleMb = rssMb(server.pid);
    let sampledMb = idleMb;
    const points: [number, number][] = [[0, round(idleMb, 1)]];
    const began = Date.now();
    const sampler = setInterval(() => {
      const mb = rssMb(server.pid);
      sampledMb = Math.max(sampledMb, mb);
      const at = Date.now() - began;
      if (at >= points.length * POINT_MS) points.push([round(at / 1000, 1), round(mb, 1)]);
    }, SAMPLE_MS);
    try {
      const counter = recordCounter(format);
      let bytes = 0;
      const started = nowNs();
      const response = await fetch(`${server.ready}/v1/jobs/export?format=${format}`, {
        headers: { authorization: `Bearer ${benchToken(owner)}` },
      });
      if (response.status !== 200 || !response.body)
        throw new Error(
          `R18: the export answered ${response.status}: ${(await response.text()).slice(0, 500)}`,
        );
      const reader = response.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        bytes += read.value.byteLength;
        counter.add(read.value);
      }
      const ms = nsToMs(nowNs() - started);
      return {
        rows: counter.records(),
        ms,
        bytes,
        peakMb: peakRssMb(server.pid),
        sampledMb,
        idleMb,
        encoding: response.headers.get("content-encoding") ?? "identity",
        points,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await server.stop();
  }
}

/** A fresh database holding `rows` jobs of one user: the plan's generator with a single user, tags, metadata and all. */
async function seeded(ctx: BenchContext, provider: Provider): Promise<BenchDatabase> {
  const { rows } = ctx.mode.export;
  const db = await createBenchDatabase(provider, "r18");
  try {
    const plan = { totalRows: rows, users: 1, heavy: [rows], deepRows: 0 };
    const started = Date.now();
    if (provider === "sqlite") await seedSqliteElsewhere(db.location, plan);
    else await seedPostgres(db.url, plan);
    ctx.log(
      `  R18 ${provider}: seeded ${rows.toLocaleString("en")} jobs of one user in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    return db;
  } catch (error) {
    await db.drop();
    throw error;
  }
}

async function measure(ctx: BenchContext, db: BenchDatabase): Promise<Record<Format, Round[]>> {
  const { rows, rounds } = ctx.mode.export;
  const results: Record<Format, Round[]> = { ndjson: [], csv: [] };
  for (let i = 0; i < rounds; i++) {
    for (const format of FORMATS) {
      const result = await exportOnce(ctx, db, userId(0), format);
      if (result.rows !== rows)
        throw new Error(`R18 ${db.provider} ${format}: ${result.rows} records exported, ${rows} expected`);
      results[format].push(result);
      ctx.log(
        `  R18 ${db.provider} ${format} round ${i + 1}/${rounds}: ${Math.round(result.rows / (result.ms / 1000))} rows/s, ${(result.bytes / 2 ** 20).toFixed(0)} MiB in ${(result.ms / 1000).toFixed(1)} s; server RSS peak ${result.peakMb.toFixed(1)} MB (idle ${result.idleMb.toFixed(1)} MB)`,
      );
    }
  }
  return results;
}

/** R18: the export of a million jobs, NDJSON and CSV: rows/s, and the server's peak RSS. */
export const exportMemoryTarget: Target = {
  id: "R18",
  title: "Export of 1,000,000 jobs (NDJSON and CSV): rows/s and the server's peak RSS",
  goal: "peak RSS ≤ 200 MB",
  providers: [],
  unavailable: (ctx) => (ctx.reachable.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const { rows, rounds } = ctx.mode.export;
    const command = commandFor(ctx.mode, "R18");
    const measurements: Measurement[] = [];
    const series: { label: string; points: [number, number][] }[] = [];
    const encodings = new Set<string>();
    // Both databases are seeded side by side before any export is timed (the seeding is most of R18's time).
    const settled = await Promise.allSettled(ctx.reachable.map((provider) => seeded(ctx, provider)));
    const databases = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const measured: [BenchDatabase, Record<Format, Round[]>][] = [];
    try {
      const failure = settled.find((s) => s.status === "rejected");
      if (failure) throw failure.reason;
      for (const db of databases) measured.push([db, await measure(ctx, db)]);
    } finally {
      for (const db of databases) await db.drop();
    }
    for (const [{ provider }, results] of measured) {
      const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
      for (const format of FORMATS) {
        const list = results[format];
        for (const r of list) encodings.add(r.encoding);
        series.push({ label: `${name} ${format.toUpperCase()} (round 1)`, points: list[0]!.points });
        const perSecond = list.map((r) => r.rows / (r.ms / 1000));
        const peaks = list.map((r) => r.peakMb);
        const median = (of: (r: Round) => number) => spread(list.map(of)).median;
        const roundsOf = {
          "rows/s": perSecond.map((v) => round(v, 0)),
          seconds: list.map((r) => round(r.ms / 1000, 1)),
          "MiB sent": list.map((r) => round(r.bytes / 2 ** 20, 1)),
          "peak RSS MB (VmHWM)": peaks.map((v) => round(v, 1)),
          "max sampled RSS MB": list.map((r) => round(r.sampledMb, 1)),
          "idle RSS MB": list.map((r) => round(r.idleMb, 1)),
        };
        measurements.push(
          {
            label: `${name} · ${format.toUpperCase()} · rows/s`,
            provider,
            unit: "rows/s",
            value: spread(perSecond),
            rounds: roundsOf,
            extra: {
              "seconds (median)": round(
                median((r) => r.ms / 1000),
                1,
              ),
              "MiB sent (median)": round(
                median((r) => r.bytes / 2 ** 20),
                0,
              ),
            },
            command,
          },
          {
            label: `${name} · ${format.toUpperCase()} · server peak RSS`,
            provider,
            unit: "MB",
            value: spread(peaks),
            goal: RSS_GOAL,
            isMet: meets(Math.max(...peaks), RSS_GOAL),
            extra: {
              "idle RSS MB (median)": round(
                median((r) => r.idleMb),
                1,
              ),
            },
            command,
          },
        );
      }
    }
    return {
      id: "R18",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      series,
      notes: [
        `Per database, a fresh database seeded with ${rows.toLocaleString("en")} jobs of one user (the seed's generator with a single user: the same types, payloads, results, tags and metadata), since the million-job seed's busiest user has ${ctx.usersByRows[0]!.rows.toLocaleString("en")}. ${rounds} round${rounds === 1 ? "" : "s"}; in each, GET /v1/jobs/export?format=ndjson, then format=csv, no filter (every job, the list's default order), each on a freshly started jobdeck server pinned to the server core.`,
        `The bench reads the answer as it arrives (Node's fetch, which asks for \`br, gzip, deflate\` as a browser does: the server answered with Content-Encoding ${[...encodings].join(", ")}; MiB sent counts the decoded text) and keeps none of it: it counts the records (NDJSON lines; CSV line breaks outside quoted fields, less the header) and requires exactly one per job. Rows/s = records ÷ the time from the request to the last byte.`,
        `Peak RSS is the server process's VmHWM from /proc after the export (the highest resident set of its life, boot included; a fresh server per export, so one export's peak cannot hide another's); the RSS sampled every ${SAMPLE_MS} ms during the export and the idle RSS before it are in the rounds table. Target met when the highest peak of the rounds is ≤ 200 MB.`,
      ],
    };
  },
};
