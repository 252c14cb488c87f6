import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { closeRuntime } from "../src/boot.js";
import type { Database } from "../src/db/index.js";
import { DatabaseRateLimitStore } from "../src/http/rate-limit.js";
import { createHttpServer } from "../src/http/server.js";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { bootSecondRuntime, postJson, startTestServer, type TestServer } from "./support/server.js";

const providers = await testProviders();
/** DatabaseRateLimitStore's default flush interval. */
const FLUSH_MS = 100;

describe.each(providers)("rate limits on %s", (provider) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider, { RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(() => server.close());

  it("limits each user separately and says when to come back", async () => {
    const alice = server.token("alice");
    for (let i = 0; i < 5; i++) {
      const ok = await server.request("/v1/jobs?limit=1", { token: alice });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("ratelimit-policy")).toMatch(/q=5/);
      expect(ok.headers.get("ratelimit")).toMatch(/r=\d+/);
    }
    const limited = await server.request("/v1/jobs", postJson({ type: "echo", payload: {} }, alice));
    expectError(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit")).toMatch(/r=0/);
    // Another user from the same address is not slowed by alice's burst.
    expect((await server.request("/v1/jobs?limit=1", { token: server.token("bob") })).status).toBe(200);
  });

  it("limits failed authentication per client address", async () => {
    for (let i = 0; i < 5; i++)
      expectError(await server.request("/v1/jobs?limit=1", { token: "bad" }), 401, "UNAUTHORIZED");
    expectError(await server.request("/v1/jobs?limit=1", { token: "bad" }), 429, "RATE_LIMITED");
    // A valid token is still served: it is counted per user, not per address.
    expect((await server.request("/v1/jobs?limit=1", { token: server.token("carol") })).status).toBe(200);
  });

  /** Waits (up to 10 s) until the database's counter of `key` holds `hits` requests. */
  async function untilCounted(key: string, hits: number, op: "=" | ">=" = "=") {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const row = await server.prisma.rateLimitCounter.findUnique({ where: { key } });
      const counted = row?.hits ?? 0;
      if (op === "=" ? counted === hits : counted >= hits) return;
      if (Date.now() > deadline) throw new Error(`${key} counted ${counted}, not ${op} ${hits}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  if (provider === "postgresql") {
    /**
     * A store on the server's database whose writer, once `hold(until)` is called, keeps the next
     * statement (a flush's, in these tests) waiting until `until` settles.
     */
    function storeWithGate(prefix: string, flushMs: number) {
      const { db } = server.runtime;
      let gate: Promise<unknown> | undefined;
      let isHeld = false;
      const writer = {
        run: async (sql: string, params?: Record<string, unknown>) => {
          const held = gate;
          if (held) {
            gate = undefined;
            isHeld = true;
            await held;
          }
          return db.writer.run(sql, params);
        },
      } as Database["writer"];
      const store = new DatabaseRateLimitStore({ writer, sql: db.sql }, prefix, flushMs);
      store.init({ windowMs: 60_000 } as Parameters<DatabaseRateLimitStore["init"]>[0]);
      return {
        store,
        hold: (until: Promise<unknown>) => {
          gate = until;
        },
        isHeld: () => isHeld,
      };
    }

    it("counts a request that reaches the database while a flush is on its way after the flush's hits", async () => {
      const { store, hold, isHeld } = storeWithGate("held:", 300);
      expect((await store.increment("frank")).totalHits).toBe(1);
      // Within 300 ms of the database's answer: counted here, sent by the flush 300 ms later.
      expect((await store.increment("frank")).totalHits).toBe(2);
      let letThrough!: () => void;
      hold(new Promise<void>((resolve) => (letThrough = resolve)));
      // The timer's flush (due first) is held. This request's view is 350 ms old: sent now, its
      // statement would run before the flush's and answer 2.
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(isHeld()).toBe(true);
      const third = store.increment("frank");
      await new Promise((resolve) => setTimeout(resolve, 100));
      letThrough();
      expect((await third).totalHits).toBe(3);
      await store.flush();
      expect((await server.prisma.rateLimitCounter.findUnique({ where: { key: "held:frank" } }))?.hits).toBe(
        3,
      );
    });

    it("does not let a flush that never ends hold requests for more than a second", async () => {
      const { store, hold, isHeld } = storeWithGate("stalled:", 300);
      expect((await store.increment("gina")).totalHits).toBe(1);
      // Within 300 ms of the database's answer: counted here, for the flush 300 ms later.
      expect((await store.increment("gina")).totalHits).toBe(2);
      // The flush's statement never passes: a stalled writer.
      hold(new Promise<never>(() => undefined));
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(isHeld()).toBe(true);
      // Another user, whom this process has not counted yet: it asks the database after waiting
      // for the stalled flush, for a second and no longer.
      const started = Date.now();
      expect((await store.increment("hal")).totalHits).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it("shares the count between API processes on one PostgreSQL database", async () => {
      // A second API process on the same database.
      const other = await bootSecondRuntime(server.database, { RATE_LIMIT_PER_MINUTE: "5" });
      const second = createHttpServer(createApp(other));
      await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
      try {
        const url = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
        const dave = server.token("dave");
        for (let i = 0; i < 3; i++)
          expect((await server.request("/v1/jobs?limit=1", { token: dave })).status).toBe(200);
        // The first process adds what it counted to the database at its next flush (100 ms).
        await untilCounted("user:dave", 3);
        for (let i = 0; i < 2; i++) {
          expect(
            (await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${dave}` } })).status,
          ).toBe(200);
        }
        expect(
          (await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${dave}` } })).status,
        ).toBe(429);
        await untilCounted("user:dave", 6);
        // The first process asks the database again once its view is FLUSH_MS old.
        await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
        expect((await server.request("/v1/jobs?limit=1", { token: dave })).status).toBe(429);

        // A burst over both processes, with no pause for their flushes: each process is exact about
        // its own requests and never passes the limit alone, and neither refuses before the
        // database's count has passed it. So between 5 and 2 × 5 are accepted of 20.
        const erin = server.token("erin");
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) {
          const base = i % 2 === 0 ? server.url : url;
          const response = await fetch(`${base}/v1/jobs?limit=1`, {
            headers: { authorization: `Bearer ${erin}` },
          });
          await response.arrayBuffer();
          statuses.push(response.status);
        }
        expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
        const accepted = statuses.filter((status) => status === 200).length;
        expect(accepted).toBeGreaterThanOrEqual(5);
        expect(accepted).toBeLessThanOrEqual(10);
        // Once both have flushed, the database holds every accepted request and both refuse.
        await untilCounted("user:erin", accepted, ">=");
        await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
        expect((await server.request("/v1/jobs?limit=1", { token: erin })).status).toBe(429);
        expect(
          (await fetch(`${url}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${erin}` } })).status,
        ).toBe(429);
      } finally {
        second.closeAllConnections();
        await new Promise((resolve) => second.close(resolve));
        await closeRuntime(other);
      }
    });
  }
});
