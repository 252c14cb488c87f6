import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";
import { startTestServer, type TestServer } from "./support/server.js";

/**
 * SQLite's statements run on the event loop: a long write transaction (a bulk operation's chunk)
 * lets it turn between statements every few milliseconds, so that requests are served meanwhile.
 */
const providers = await testProviders();

describe.runIf(providers.includes("sqlite"))("a long write transaction on sqlite", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("lets a timer set before it fire between its statements, and still commits as one", async () => {
    let firedAt: number | undefined;
    let statements = 0;
    const timer = setTimeout(() => (firedAt = statements), 0);
    await server.runtime.db.writer.transaction(async (tx) => {
      // Each of these reads a million generated rows: far longer, in all, than a slice.
      for (; statements < 5; statements++) {
        await tx.all(`WITH RECURSIVE "n"("i") AS (SELECT 1 UNION ALL SELECT "i" + 1 FROM "n" WHERE "i" < 1000000)
          SELECT COUNT(*) AS "count" FROM "n"`);
        await tx.run(`INSERT INTO "settings" ("key", "value", "createdAt") VALUES (@key, 'x', @now)`, {
          key: `slice-${statements}`,
          now: new Date(),
        });
      }
    });
    clearTimeout(timer);
    expect(firedAt).toBeDefined();
    expect(firedAt).toBeLessThan(5);
    const rows = await server.runtime.db.read.all(`SELECT "key" FROM "settings" WHERE "key" LIKE 'slice-%'`);
    expect(rows).toHaveLength(5);
  });
});
