import { assertSameAnswer, get } from "../http.js";
import { baselineFor } from "../contenders.js";
import type { Provider } from "../databases.js";
import { compareThroughput } from "../compare.js";
import { commandFor } from "../context.js";
import { statusOf, type Target } from "./types.js";

const GOAL = { op: ">=", value: 0.5 } as const;
/** Page 1 of the 20 busiest users, in turn: every page is full, and no one user's rows stay hot alone. */
const USERS = 20;

/** R1 (SQLite) and R2 (PostgreSQL): `GET /v1/jobs?limit=50` req/s, jobdeck ÷ raw baseline. */
export function listThroughputTarget(id: "R1" | "R2", provider: Provider): Target {
  const baseline = baselineFor(provider);
  const name = provider === "sqlite" ? "SQLite" : "PostgreSQL";
  return {
    id,
    title: `GET /v1/jobs?limit=50 req/s on ${name}: jobdeck ÷ raw node:http + ${provider === "sqlite" ? "better-sqlite3" : "pg"}`,
    goal: "≥ 0.5×",
    providers: [provider],
    unavailable: (ctx) => (ctx.databases[provider] ? undefined : `no ${name} database in this run`),
    async run(ctx) {
      const users = ctx.usersByRows.slice(0, USERS).map((u) => u.userId);
      const requests = users.map((user) => get("/v1/jobs?limit=50", user));
      const servers = await Promise.all(
        (["jobdeck", baseline] as const).map(async (c) => ({
          name: c,
          url: (await ctx.server(provider, c)).ready,
        })),
      );
      for (const request of requests.slice(0, 3)) await assertSameAnswer(id, servers, request);
      const measurement = await compareThroughput(ctx, {
        label: `${name}: jobdeck ÷ ${baseline}`,
        provider,
        a: "jobdeck",
        b: baseline,
        requests: () => requests,
        goal: GOAL,
        command: commandFor(ctx.mode, id),
      });
      return {
        id,
        title: this.title,
        goal: this.goal,
        status: statusOf([measurement]),
        measurements: [measurement],
        notes: [
          `${ctx.mode.connections} connections, ${ctx.mode.durationSeconds} s per run, ${ctx.mode.rounds} A/B pairs after a ${ctx.mode.warmupSeconds} s warm-up of each; page 1 of the ${USERS} busiest users in turn. Both answer byte-for-byte the same JSON (checked before timing).`,
        ],
      };
    },
  };
}
