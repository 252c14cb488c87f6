import { loadCursorCodec } from "../api-dist.js";
import { baselineFor } from "../contenders.js";
import { commandFor, type BenchContext } from "../context.js";
import type { Provider } from "../databases.js";
import { cursorKeyOf, openDirect, rowAt, type ListFilters } from "../direct-sql.js";
import { get, send } from "../http.js";
import { runLatency } from "../load/run-load.js";
import type { LoadRequest } from "../load/spec.js";
import { round, spread } from "../stats.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

const SORTS = ["createdAt", "updatedAt", "type", "status"] as const;
const FILTERS: { name: string; query: string; filters: ListFilters }[] = [
  { name: "no filter", query: "", filters: {} },
  { name: "status=completed", query: "&status=completed", filters: { status: ["completed"] } },
  {
    name: "type=http.request,echo",
    query: "&type=http.request,echo",
    filters: { type: ["http.request", "echo"] },
  },
];
/** The OFFSET control: enough cases to show the cost grows with depth, not all twelve. */
const OFFSET_CASES: [string, number][] = [
  ["createdAt", 0],
  ["createdAt", 1],
  ["updatedAt", 0],
  ["type", 0],
  ["status", 2],
];
const KEYSET_GOAL = { op: "<=", value: 1.2 } as const;
const OFFSET_GOAL = { op: ">=", value: 10 } as const;
const LIMIT = 50;

/**
 * Sequential requests alternating page 1 and the deep page, split into rounds; one ratio per round
 * (median deep latency ÷ median page-1 latency).
 */
async function latencyRatio(
  ctx: BenchContext,
  url: string,
  page1: LoadRequest,
  deep: LoadRequest,
  latencyRequests = ctx.mode.latencyRequests,
): Promise<{ ratios: number[]; page1Ms: number[]; deepMs: number[] }> {
  const { latencyRounds } = ctx.mode;
  const result = await runLatency(ctx.cores.load, {
    url,
    cases: [
      { name: "page1", request: page1 },
      { name: "deep", request: deep },
    ],
    rounds: latencyRequests * latencyRounds,
    warmup: Math.min(5, latencyRequests),
  });
  const ratios: number[] = [];
  const page1Ms: number[] = [];
  const deepMs: number[] = [];
  for (let r = 0; r < latencyRounds; r++) {
    const slice = (name: string) => result[name]!.slice(r * latencyRequests, (r + 1) * latencyRequests);
    const p = spread(slice("page1")).median;
    const d = spread(slice("deep")).median;
    page1Ms.push(round(p, 3));
    deepMs.push(round(d, 3));
    ratios.push(d / p);
  }
  return { ratios, page1Ms, deepMs };
}

function measurement(
  label: string,
  provider: Provider,
  goal: typeof KEYSET_GOAL | typeof OFFSET_GOAL,
  result: { ratios: number[]; page1Ms: number[]; deepMs: number[] },
  command: string,
): Measurement {
  const value = spread(result.ratios);
  return {
    label,
    provider,
    unit: "×",
    value,
    goal,
    isMet: meets(value.median, goal),
    rounds: {
      "page 1 ms": result.page1Ms,
      "deep page ms": result.deepMs,
      ratio: result.ratios.map((r) => round(r)),
    },
    extra: {
      "page 1 ms (median)": round(spread(result.page1Ms).median, 2),
      "deep ms (median)": round(spread(result.deepMs).median, 2),
    },
    command,
  };
}

/** R3: a page 100,000 rows deep costs what page 1 costs, every sort, with and without filters. */
export const deepPagesTarget: Target = {
  id: "R3",
  title:
    "Latency of a page 100,000 rows deep ÷ page 1, every sortBy, with and without filters (OFFSET as the control)",
  goal: "≤ 1.2× (OFFSET control: ≥ 10×)",
  providers: ["sqlite", "postgresql"],
  unavailable: (ctx) => (ctx.providers.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const codec = await loadCursorCodec();
    const depth = ctx.mode.plan.deepRows;
    const whale = ctx.usersByRows[0]!.userId;
    const command = commandFor(ctx.mode, "R3");
    const measurements: Measurement[] = [];
    for (const provider of ctx.providers) {
      const db = ctx.databases[provider]!;
      const jobdeck = await ctx.server(provider, "jobdeck");
      const baseline = await ctx.server(provider, baselineFor(provider));
      const direct = await openDirect(db);
      try {
        const key = await cursorKeyOf(direct);
        for (const sortBy of SORTS) {
          for (const filter of FILTERS) {
            const label = `${provider === "sqlite" ? "SQLite" : "PostgreSQL"} · keyset · sortBy=${sortBy} · ${filter.name}`;
            const position = await rowAt(direct, whale, sortBy, filter.filters, depth - 1);
            const next = await rowAt(direct, whale, sortBy, filter.filters, depth);
            if (!position || !next)
              throw new Error(`${label}: the whale has fewer than ${depth + 1} such rows`);
            const query = { limit: LIMIT, sortBy, sortOrder: "desc", ...filter.filters };
            const cursor = codec.encodeCursor(key, codec.cursorBinding(whale, query), position);
            const base = `/v1/jobs?limit=${LIMIT}&sortBy=${sortBy}&sortOrder=desc${filter.query}`;
            const page1 = get(base, whale);
            const deep = get(`${base}&cursor=${cursor}`, whale);
            const check = await send(jobdeck.ready, deep);
            const rows = (check.body as { data?: { id: string }[] }).data;
            if (check.status !== 200 || rows?.length !== LIMIT || rows[0]?.id !== next.id) {
              throw new Error(
                `${label}: the deep cursor did not land on row ${depth + 1} (HTTP ${check.status})`,
              );
            }
            ctx.log(`  R3 ${label}`);
            measurements.push(
              measurement(
                label,
                provider,
                KEYSET_GOAL,
                await latencyRatio(ctx, jobdeck.ready, page1, deep),
                command,
              ),
            );
          }
        }
        for (const [sortBy, f] of OFFSET_CASES) {
          const filter = FILTERS[f]!;
          const label = `${provider === "sqlite" ? "SQLite" : "PostgreSQL"} · OFFSET control · sortBy=${sortBy} · ${filter.name}`;
          const base = `/v1/jobs?limit=${LIMIT}&sortBy=${sortBy}&sortOrder=desc${filter.query}`;
          ctx.log(`  R3 ${label}`);
          // The control only has to show the growth: a few requests per round (a deep OFFSET takes 100+ ms).
          const requests = ctx.mode.controlRequests;
          const result = await latencyRatio(
            ctx,
            baseline.ready,
            get(base, whale),
            get(`${base}&offset=${depth}`, whale),
            requests,
          );
          measurements.push({
            ...measurement(label, provider, OFFSET_GOAL, result, command),
            isControl: true,
          });
        }
      } finally {
        await direct.close();
      }
    }
    const keyset = measurements.filter((m) => m.label.includes("keyset"));
    const worst = keyset.reduce((a, m) => Math.max(a, m.value.median), 0);
    return {
      id: "R3",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `The busiest user (${ctx.usersByRows[0]!.rows.toLocaleString("en")} jobs); sortOrder=desc; limit=${LIMIT}. The deep page starts at row ${(depth + 1).toLocaleString("en")} of the listing (its cursor is minted from that row with the server's own codec and key, and checked to land there).`,
        `Sequential requests over one kept-alive connection, page 1 and the deep page alternating, ${ctx.mode.latencyRequests} of each per round, ${ctx.mode.latencyRounds} rounds; ratio = median deep ÷ median page 1 per round. Worst keyset median: ${round(worst, 2)}×.`,
        `The OFFSET control runs the same query with OFFSET ${depth.toLocaleString("en")} on the raw baseline (jobdeck has no OFFSET), ${ctx.mode.controlRequests} requests of each per round.`,
      ],
    };
  },
};
