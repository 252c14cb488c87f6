import { loadCursorCodec, type CursorQuery } from "../api-dist.js";
import { commandFor, type BenchContext } from "../context.js";
import type { Provider } from "../databases.js";
import { cursorKeyOf, labelRowAt, openDirect, rowAt, type LabelRange } from "../direct-sql.js";
import { get, send } from "../http.js";
import { runLatency } from "../load/run-load.js";
import type { LoadRequest } from "../load/spec.js";
import { SEED_LABELS } from "../seed/generate.js";
import { round, spread } from "../stats.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const DEEP_GOAL = { op: "<=", value: 1.2 } as const;
const FILTER_GOAL = { op: "<=", value: 2 } as const;
const LIMIT = 50;

type Filter = {
  name: string;
  query: string;
  cursorQuery: Partial<CursorQuery>;
  range: LabelRange;
  /** Whether the whale has a page `deepRows` deep behind it (the selective tag has not). */
  hasDeep: boolean;
};

const { denseTag, selectiveTag, denseMetadata } = SEED_LABELS;
const FILTERS: Filter[] = [
  {
    name: `tag=${denseTag}`,
    query: `&tag=${encodeURIComponent(denseTag)}`,
    cursorQuery: { tag: [denseTag] },
    range: { tag: denseTag },
    hasDeep: true,
  },
  {
    name: `metadata.${denseMetadata.key}=${denseMetadata.value}`,
    query: `&metadata.${denseMetadata.key}=${encodeURIComponent(denseMetadata.value)}`,
    cursorQuery: { metadataEquals: [{ key: denseMetadata.key, value: denseMetadata.value }] },
    range: { key: denseMetadata.key, value: JSON.stringify(denseMetadata.value) },
    hasDeep: true,
  },
  {
    name: `tag=${selectiveTag}`,
    query: `&tag=${encodeURIComponent(selectiveTag)}`,
    cursorQuery: { tag: [selectiveTag] },
    range: { tag: selectiveTag },
    hasDeep: false,
  },
];

/** No filter (page 1 and deep), then each filter's page 1 and, when it has one, its deep page. */
const CASE_COUNT = 2 + FILTERS.reduce((n, f) => n + (f.hasDeep ? 2 : 1), 0);

const providerName = (provider: Provider) => (provider === "sqlite" ? "SQLite" : "PostgreSQL");

/** The deep page of a listing: a cursor minted at row `depth` with the server's codec, checked to land on row depth + 1. */
async function deepRequest(
  ctx: BenchContext,
  url: string,
  label: string,
  base: string,
  whale: string,
  cursorQuery: CursorQuery,
  mint: (binding: string, position: { value: number | string; id: string }) => string,
  binding: (query: CursorQuery) => string,
  position: { value: number | string; id: string } | undefined,
  next: { id: string } | undefined,
): Promise<LoadRequest> {
  const depth = ctx.mode.plan.deepRows;
  if (!position || !next) throw new Error(`R15 ${label}: the whale has fewer than ${depth + 1} such rows`);
  const deep = get(`${base}&cursor=${mint(binding(cursorQuery), position)}`, whale);
  const check = await send(url, deep);
  const rows = (check.body as { data?: { id: string }[] }).data;
  if (check.status !== 200 || rows?.length !== LIMIT || rows[0]?.id !== next.id)
    throw new Error(`R15 ${label}: the deep cursor did not land on row ${depth + 1} (HTTP ${check.status})`);
  return deep;
}

/**
 * R15: pages of a tag and of a metadata filter, page 1 and a page 100,000 rows deep, against the
 * same pages with no filter. Every case is a request to jobdeck; they alternate in one sequence.
 */
export const labelPagesTarget: Target = {
  id: "R15",
  title:
    "Tag and metadata filters: a page 100,000 rows deep ÷ page 1, and each page ÷ the same page with no filter",
  goal: "deep ≤ 1.2× page 1; each ≤ 2× the unfiltered page",
  providers: ["sqlite", "postgresql"],
  unavailable: (ctx) => (ctx.providers.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const codec = await loadCursorCodec();
    const depth = ctx.mode.plan.deepRows;
    const whale = ctx.usersByRows[0]!.userId;
    const command = commandFor(ctx.mode, "R15");
    const { latencyRequests, latencyRounds } = ctx.mode;
    const measurements: Measurement[] = [];
    for (const provider of ctx.providers) {
      const jobdeck = await ctx.server(provider, "jobdeck");
      const direct = await openDirect(ctx.databases[provider]!);
      const name = providerName(provider);
      const cases: { name: string; request: LoadRequest }[] = [];
      try {
        const key = await cursorKeyOf(direct);
        const mint = (binding: string, position: { value: number | string; id: string }) =>
          codec.encodeCursor(key, binding, position);
        const binding = (query: CursorQuery) => codec.cursorBinding(whale, query);
        const plain: CursorQuery = { limit: LIMIT, sortBy: "createdAt", sortOrder: "desc" };
        const base = `/v1/jobs?limit=${LIMIT}&sortBy=createdAt&sortOrder=desc`;
        cases.push({ name: "none/page1", request: get(base, whale) });
        cases.push({
          name: "none/deep",
          request: await deepRequest(
            ctx,
            jobdeck.ready,
            `${name} no filter`,
            base,
            whale,
            plain,
            mint,
            binding,
            await rowAt(direct, whale, "createdAt", {}, depth - 1),
            await rowAt(direct, whale, "createdAt", {}, depth),
          ),
        });
        for (const filter of FILTERS) {
          const filtered = `${base}${filter.query}`;
          const page1 = get(filtered, whale);
          const check = await send(jobdeck.ready, page1);
          const first = await labelRowAt(direct, whale, filter.range, 0);
          const rows = (check.body as { data?: { id: string }[] }).data;
          if (check.status !== 200 || !first || rows?.[0]?.id !== first.id)
            throw new Error(`R15 ${name} ${filter.name}: page 1 does not start at the newest such job`);
          cases.push({ name: `${filter.name}/page1`, request: page1 });
          if (!filter.hasDeep) continue;
          cases.push({
            name: `${filter.name}/deep`,
            request: await deepRequest(
              ctx,
              jobdeck.ready,
              `${name} ${filter.name}`,
              filtered,
              whale,
              { ...plain, ...filter.cursorQuery },
              mint,
              binding,
              await labelRowAt(direct, whale, filter.range, depth - 1),
              await labelRowAt(direct, whale, filter.range, depth),
            ),
          });
        }
      } finally {
        await direct.close();
      }

      ctx.log(`  R15 ${name}: ${cases.length} cases, ${latencyRequests} of each per round`);
      const result = await runLatency(ctx.cores.load, {
        url: jobdeck.ready,
        cases,
        rounds: latencyRequests * latencyRounds,
        warmup: Math.min(5, latencyRequests),
      });
      // The median latency of each case in each round.
      const medians = (caseName: string) =>
        Array.from(
          { length: latencyRounds },
          (_, r) => spread(result[caseName]!.slice(r * latencyRequests, (r + 1) * latencyRequests)).median,
        );
      const ratio = (
        label: string,
        over: string,
        under: string,
        goal: typeof DEEP_GOAL | typeof FILTER_GOAL,
      ) => {
        const a = medians(over);
        const b = medians(under);
        const ratios = a.map((v, i) => v / b[i]!);
        const value = spread(ratios);
        measurements.push({
          label: `${name} · ${label}`,
          provider,
          unit: "×",
          value,
          goal,
          isMet: meets(value.median, goal),
          rounds: {
            [`${over} ms`]: a.map((v) => round(v, 3)),
            [`${under} ms`]: b.map((v) => round(v, 3)),
            ratio: ratios.map((r) => round(r)),
          },
          extra: {
            "ms (median)": round(spread(a).median, 2),
            "compared with, ms (median)": round(spread(b).median, 2),
          },
          command,
        });
      };
      for (const filter of FILTERS) {
        if (filter.hasDeep)
          ratio(`${filter.name} · deep ÷ page 1`, `${filter.name}/deep`, `${filter.name}/page1`, DEEP_GOAL);
        ratio(
          `${filter.name} · page 1 ÷ unfiltered page 1`,
          `${filter.name}/page1`,
          "none/page1",
          FILTER_GOAL,
        );
        if (filter.hasDeep)
          ratio(`${filter.name} · deep ÷ unfiltered deep`, `${filter.name}/deep`, "none/deep", FILTER_GOAL);
      }
    }
    return {
      id: "R15",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `The busiest user (${ctx.usersByRows[0]!.rows.toLocaleString("en")} jobs), sortBy=createdAt (the order job_tags and job_metadata index; a tag or metadata filter with another sort is a capped scan, as R16 measures), sortOrder=desc, limit=${LIMIT}. Filters: \`${FILTERS.map((f) => f.name).join("`, `")}\`; the seed gives about 72 % of jobs \`${denseTag}\`, 60 % \`${denseMetadata.key}=${denseMetadata.value}\` and 2 % \`${selectiveTag}\` (bench/src/seed/generate.ts), written to the side tables as the API writes them.`,
        `Each deep page starts at row ${(depth + 1).toLocaleString("en")} of its own listing (filtered or not): its cursor is minted from that row (read from job_tags / job_metadata / jobs) with the server's own codec and key, and checked to land there; each filtered page 1 is checked to start at the newest such job. The selective tag has no page that deep; its page 1 is compared only.`,
        `Sequential requests over one kept-alive connection, every case in turn (${CASE_COUNT} cases), ${latencyRequests} of each per round, ${latencyRounds} rounds; each ratio = the median of one case ÷ the median of the other, per round.`,
      ],
    };
  },
};
