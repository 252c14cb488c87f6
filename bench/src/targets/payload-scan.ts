import { commandFor } from "../context.js";
import type { Provider } from "../databases.js";
import { openDirect, rowsThrough, type DirectSql } from "../direct-sql.js";
import { get, send } from "../http.js";
import { runLatency } from "../load/run-load.js";
import { customerId } from "../seed/generate.js";
import { round, spread } from "../stats.js";
import { meets, statusOf, type Measurement, type Target } from "./types.js";

/** FILTER_SCAN_LIMIT as jobdeck ships it (apps/api/src/config.ts); the bench does not change it. */
const SCAN_LIMIT = 100_000;
const CAP_GOAL = { op: "<=", value: SCAN_LIMIT } as const;
const LIMIT = 50;
/** One of the seed's 20,000 customers: a few of the whale's echo jobs carry it in payload.customer.id. */
const CUSTOMER = customerId(42);
const PATH = "payload.customer.id";

type ListAnswer = {
  data?: { id: string; payload: { customer?: { id?: string } } }[];
  pagination?: { nextCursor: string | null; isPartial: boolean; hasMore: boolean };
};

/** A cursor's position without checking its MAC: base64url(JSON [value, id] ‖ 16-byte MAC) (apps/api/src/jobs/cursor.ts). */
function cursorPosition(cursor: string): { value: number; id: string } {
  const bytes = Buffer.from(cursor, "base64url");
  const [value, id] = JSON.parse(bytes.subarray(0, bytes.length - 16).toString("utf8")) as [number, string];
  return { value, id };
}

/** The matches among the user's first `rows` jobs, newest first, counted by the database itself. */
async function matchesWithin(direct: DirectSql, userId: string, rows: number): Promise<number> {
  const found = await direct.all<{ count: number | string }>(
    {
      sqlite: `SELECT COUNT(*) AS count FROM (SELECT "payload" FROM "jobs" WHERE "userId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?) WHERE json_extract("payload", '$.customer.id') = ?`,
      postgresql: `SELECT COUNT(*) AS count FROM (SELECT "payload" FROM "jobs" WHERE "userId" = $1 ORDER BY "createdAt" DESC, "id" DESC LIMIT $2) AS w WHERE "payload" #>> '{customer,id}' = $3`,
    },
    [userId, rows, CUSTOMER],
  );
  return Number(found[0]?.count ?? 0);
}

const providerName = (provider: Provider) => (provider === "sqlite" ? "SQLite" : "PostgreSQL");

/**
 * R16: a payload-path filter, which no index narrows, on the busiest user: how many rows a request
 * tests per second, and that it stops at FILTER_SCAN_LIMIT with `isPartial` and a cursor to go on.
 */
export const payloadScanTarget: Target = {
  id: "R16",
  title:
    "A payload-path filter without an index: rows examined per second, and the answer within the 100,000-row cap",
  goal: `every answer after ≤ ${SCAN_LIMIT.toLocaleString("en")} rows examined, with isPartial and a nextCursor when rows are left`,
  providers: ["sqlite", "postgresql"],
  unavailable: (ctx) => (ctx.providers.length > 0 ? undefined : "no database in this run"),
  async run(ctx) {
    const whale = ctx.usersByRows[0]!;
    const command = commandFor(ctx.mode, "R16");
    const requests = Math.min(ctx.mode.latencyRequests, 5);
    const { latencyRounds } = ctx.mode;
    const measurements: Measurement[] = [];
    const found: string[] = [];
    for (const provider of ctx.providers) {
      const name = providerName(provider);
      const jobdeck = await ctx.server(provider, "jobdeck");
      const request = get(
        `/v1/jobs?limit=${LIMIT}&sortBy=createdAt&sortOrder=desc&${PATH}=${CUSTOMER}`,
        whale.userId,
      );
      // What one answer is: checked before it is timed.
      const answer = await send(jobdeck.ready, request);
      const body = answer.body as ListAnswer;
      if (answer.status !== 200 || !body.data || !body.pagination)
        throw new Error(
          `R16 ${name}: the list answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
        );
      const expectPartial = whale.rows > SCAN_LIMIT;
      const { isPartial, nextCursor } = body.pagination;
      if (isPartial !== expectPartial || (nextCursor !== null) !== expectPartial)
        throw new Error(
          `R16 ${name}: isPartial ${isPartial}, nextCursor ${nextCursor ? "given" : "null"}; expected ${expectPartial ? "a partial answer" : "the whole answer"} from ${whale.rows.toLocaleString("en")} rows`,
        );
      const direct = await openDirect(ctx.databases[provider]!);
      let examined: number;
      let matches: number;
      try {
        examined = nextCursor
          ? await rowsThrough(direct, whale.userId, cursorPosition(nextCursor))
          : whale.rows;
        matches = await matchesWithin(direct, whale.userId, examined);
      } finally {
        await direct.close();
      }
      if (body.data.length !== matches || body.data.some((job) => job.payload.customer?.id !== CUSTOMER))
        throw new Error(
          `R16 ${name}: ${body.data.length} jobs answered, but ${matches} of the ${examined.toLocaleString("en")} rows read match`,
        );
      found.push(
        `${name}: ${matches} match${matches === 1 ? "" : "es"} in ${examined.toLocaleString("en")} rows`,
      );

      ctx.log(`  R16 ${name}: ${examined.toLocaleString("en")} rows per request, ${matches} matches`);
      const result = await runLatency(ctx.cores.load, {
        url: jobdeck.ready,
        cases: [{ name: "scan", request }],
        rounds: requests * latencyRounds,
        warmup: Math.min(2, requests),
      });
      const ms = Array.from(
        { length: latencyRounds },
        (_, r) => spread(result.scan!.slice(r * requests, (r + 1) * requests)).median,
      );
      const perSecond = ms.map((m) => examined / (m / 1000));
      measurements.push(
        {
          label: `${name} · rows examined per second (\`${PATH}=${CUSTOMER}\`)`,
          provider,
          unit: "rows/s",
          value: spread(perSecond),
          rounds: { "request ms": ms.map((m) => round(m, 2)), "rows/s": perSecond.map((r) => round(r, 0)) },
          extra: { "request ms (median)": round(spread(ms).median, 1), "rows examined": examined, matches },
          command,
        },
        {
          label: `${name} · rows examined by one request`,
          provider,
          unit: "rows",
          value: spread([examined]),
          goal: CAP_GOAL,
          isMet: meets(examined, CAP_GOAL),
          extra: {
            isPartial: String(isPartial),
            nextCursor: nextCursor ? "given" : "null",
            "request ms (median)": round(spread(ms).median, 1),
          },
          command,
        },
      );
    }
    return {
      id: "R16",
      title: this.title,
      goal: this.goal,
      status: statusOf(measurements),
      measurements,
      notes: [
        `GET /v1/jobs?limit=${LIMIT}&${PATH}=${CUSTOMER} as the busiest user (${whale.rows.toLocaleString("en")} jobs; sortBy=createdAt desc). Only \`echo\` payloads have a customer (30 % of jobs), one of ${(20_000).toLocaleString("en")}: the filter matches rarely, so the scan runs to FILTER_SCAN_LIMIT (${SCAN_LIMIT.toLocaleString("en")}, jobdeck's default) and answers what it found with \`pagination.isPartial: true\` and a \`nextCursor\`. Found: ${found.join("; ")}.`,
        `Before timing, the answer is checked: isPartial and nextCursor as expected, the rows examined counted from the jobs up to the cursor's position (direct SQL), and the jobs answered equal to the matches the database itself counts among those rows (json_extract / #>>).`,
        `Rows examined per second = rows examined ÷ the median latency of a round; ${requests} sequential requests per round, ${latencyRounds} rounds, from the load core.`,
      ],
    };
  },
};
