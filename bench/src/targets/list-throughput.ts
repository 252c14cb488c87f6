import { loadCursorCodec } from "../api-dist.js";
import { baselineFor } from "../contenders.js";
import type { Provider } from "../databases.js";
import { compareThroughput } from "../compare.js";
import { commandFor, type BenchContext } from "../context.js";
import { cursorKeyOf, openDirect, rowAt } from "../direct-sql.js";
import { assertSameAnswer, get, send } from "../http.js";
import type { LoadRequest } from "../load/spec.js";
import { statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 0.5 } as const;
/** Page 1 of the 20 busiest users, in turn: every page is full, and no one user's rows stay hot alone. */
const USERS = 20;
const LIMIT = 50;
const PAGE_1 = `/v1/jobs?limit=${LIMIT}`;
/** Deep pages: this many of the busiest users, each at these fractions of the seed's deep depth. */
const DEEP_USERS = 4;
const DEEP_FRACTIONS = [0.01, 0.1, 0.5, 0.9];

type DeepPage = { user: string; depth: number; request: LoadRequest };

/**
 * Cursors from real pages far into the seed: for each user and depth, the page that starts at that
 * row (its cursor minted from the row before it with the server's own codec and key, and checked to
 * land there), and then the `nextCursor` jobdeck itself returned on that page. Requesting it makes
 * the server check the signature and seek the index to row depth + 51.
 */
async function deepPages(ctx: BenchContext, provider: Provider, jobdeckUrl: string): Promise<DeepPage[]> {
  const codec = await loadCursorCodec();
  const direct = await openDirect(ctx.databases[provider]!);
  try {
    const key = await cursorKeyOf(direct);
    const deepest = ctx.mode.plan.deepRows;
    const furthest = Math.round(deepest * Math.max(...DEEP_FRACTIONS)) + 2 * LIMIT;
    const users = ctx.usersByRows.filter((u) => u.rows > furthest).slice(0, DEEP_USERS);
    const pages: DeepPage[] = [];
    for (const { userId } of users.length > 0 ? users : ctx.usersByRows.slice(0, 1)) {
      for (const fraction of DEEP_FRACTIONS) {
        const depth = Math.max(1, Math.round(deepest * fraction));
        const position = await rowAt(direct, userId, "createdAt", {}, depth - 1);
        const first = await rowAt(direct, userId, "createdAt", {}, depth);
        if (!position || !first) throw new Error(`${userId} has fewer than ${depth + 1} jobs`);
        const minted = codec.encodeCursor(
          key,
          codec.cursorBinding(userId, { limit: LIMIT, sortBy: "createdAt", sortOrder: "desc" }),
          position,
        );
        const page = await send(jobdeckUrl, get(`${PAGE_1}&cursor=${minted}`, userId));
        const body = page.body as { data?: { id: string }[]; pagination?: { nextCursor: string | null } };
        const next = body.pagination?.nextCursor;
        if (page.status !== 200 || body.data?.[0]?.id !== first.id || !next)
          throw new Error(
            `the cursor to row ${depth + 1} of ${userId} did not land there (HTTP ${page.status})`,
          );
        pages.push({ user: userId, depth: depth + LIMIT, request: get(`${PAGE_1}&cursor=${next}`, userId) });
      }
    }
    return pages;
  } finally {
    await direct.close();
  }
}

/**
 * R1 (SQLite) and R2 (PostgreSQL): `GET /v1/jobs?limit=50` req/s, jobdeck ÷ raw baseline, for page 1
 * and for deep pages reached with signed cursors (the baseline checks the same HMAC and runs the same
 * keyset seek on the same index for the same positions).
 */
export function listThroughputTarget(id: "R1" | "R2", provider: Provider): Target {
  const baseline = baselineFor(provider);
  const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
  return {
    id,
    title: `GET /v1/jobs?limit=50 req/s on ${name}, page 1 and deep cursors: jobdeck ÷ raw node:http + ${provider === "sqlite" ? "better-sqlite3" : "pg"}`,
    goal: "≥ 0.5×",
    providers: [provider],
    unavailable: (ctx) => (ctx.databases[provider] ? undefined : `no ${name} database in this run`),
    async run(ctx) {
      const users = ctx.usersByRows.slice(0, USERS).map((u) => u.userId);
      const page1 = users.map((user) => get(PAGE_1, user));
      const servers = await Promise.all(
        (["jobdeck", baseline] as const).map(async (c) => ({
          name: c,
          url: (await ctx.server(provider, c)).ready,
        })),
      );
      const deep = await deepPages(ctx, provider, servers[0]!.url);
      for (const request of [...page1.slice(0, 3), ...deep.map((d) => d.request)])
        await assertSameAnswer(id, servers, request);
      const command = commandFor(ctx.mode, id);
      const measurements: Measurement[] = [];
      for (const [what, requests] of [
        ["page 1", page1],
        ["deep cursors", deep.map((d) => d.request)],
      ] as const) {
        ctx.log(`  ${id} ${what}`);
        measurements.push({
          ...(await compareThroughput(ctx, {
            label: `${name} · ${what}: jobdeck ÷ ${baseline}`,
            provider,
            a: "jobdeck",
            b: baseline,
            requests: () => [...requests],
            goal: GOAL,
            command,
          })),
          short: what,
        });
      }
      const depths = [...new Set(deep.map((d) => d.depth))].sort((a, b) => a - b);
      const bytes = (await send(servers[0]!.url, deep[0]!.request)).body;
      return {
        id,
        title: this.title,
        goal: this.goal,
        status: statusOf(measurements),
        measurements,
        notes: [
          `${ctx.mode.connections} connections, ${ctx.mode.durationSeconds} s per run, ${ctx.mode.rounds} A/B pairs after a ${ctx.mode.warmupSeconds} s warm-up of each, per case. Both answer the same JSON for every request of both cases (checked before timing).`,
          `Page 1: \`GET /v1/jobs?limit=${LIMIT}\` of the ${USERS} busiest users in turn.`,
          `Deep cursors: ${deep.length} pages in turn — ${new Set(deep.map((d) => d.user)).size} of the busiest users, each at rows ${depths.map((d) => (d + 1).toLocaleString("en")).join(", ")} of their listing (createdAt desc). Each cursor is the \`nextCursor\` jobdeck returned on a real page that far in, so every request checks the cursor's HMAC and seeks the (userId, createdAt, id) index; the baseline checks the same HMAC and sends the same row-value keyset seek (bench/baselines/shared.ts readCursor, listSql).`,
          `Payloads as seeded: http.request and markdown.render jobs carry about 300–400 bytes (headers, a body, a report), thumbnails about 125, echo and sleep under 80; a page of 50 is about ${Math.round(JSON.stringify(bytes).length / 1024)} KiB of JSON.`,
        ],
      };
    },
  };
}
