import { compareThroughput } from "../compare.js";
import { baselineFor } from "../contenders.js";
import { commandFor } from "../context.js";
import { assertSameAnswer, post } from "../http.js";
import { statusOf, type Measurement, type Target } from "./types.js";

const GOAL = { op: ">=", value: 0.5 } as const;
const USERS = 20;

/** Ids and times differ from one creation to the next; everything else must match. */
const withoutIdentity = (body: unknown) => {
  const { data, ...rest } = body as { data?: Record<string, unknown> };
  if (!data) return body;
  const { id: _id, createdAt: _c, updatedAt: _u, runAt: _r, ...job } = data;
  return { ...rest, data: job };
};

/** R4: `POST /v1/jobs` req/s, jobdeck ÷ raw node:http + one INSERT, on each database. */
export const createThroughputTarget: Target = {
  id: "R4",
  title: "POST /v1/jobs req/s: jobdeck ÷ raw node:http + one INSERT",
  goal: "≥ 0.5×",
  providers: ["sqlite", "postgresql"],
  unavailable: (ctx) => (ctx.providers.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const users = ctx.usersByRows.slice(0, USERS).map((u) => u.userId);
    const requests = users.map((user, n) =>
      post("/v1/jobs", user, { type: "echo", payload: { message: "bench", n } }),
    );
    const measurements: Measurement[] = [];
    for (const provider of ctx.providers) {
      const baseline = baselineFor(provider);
      const servers = await Promise.all(
        (["jobdeck", baseline] as const).map(async (c) => ({
          name: c,
          url: (await ctx.server(provider, c)).ready,
        })),
      );
      await assertSameAnswer("R4", servers, requests[0]!, withoutIdentity);
      measurements.push(
        await compareThroughput(ctx, {
          label: `${provider === "sqlite" ? "SQLite" : "PostgreSQL"}: jobdeck ÷ ${baseline}`,
          provider,
          a: "jobdeck",
          b: baseline,
          requests: () => requests,
          goal: GOAL,
          command: commandFor(ctx.mode, "R4"),
        }),
      );
    }
    return {
      id: "R4",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `An \`echo\` job per request (no Idempotency-Key), the ${USERS} busiest users in turn, into the seeded table with all its indexes; ${ctx.mode.connections} connections. Both answer the same 201 body but for the new id and times (checked before timing). SQLite: WAL, synchronous=NORMAL on both sides.`,
      ],
    };
  },
};
