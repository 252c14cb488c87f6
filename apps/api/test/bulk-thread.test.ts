import { randomUUID } from "node:crypto";
import { BulkOperationResponseSchema } from "@jobdeck/contract";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlitePath } from "../src/db/dialect/sqlite.js";
import { postJson, startTestServer, type TestServer } from "./support/server.js";

/**
 * On SQLite a process runs its bulk operations on a thread of its own (bulk-operations/
 * thread-runner.ts): better-sqlite3's statements are synchronous, and on the main thread a chunk's
 * statements and COMMIT held up every request of the process. Here the main thread is kept busy
 * synchronously while the operation runs: it can only complete on another thread.
 */
describe("a bulk operation on SQLite", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("sqlite", { WORKER_CONCURRENCY: "0" });
  });
  afterAll(() => server?.close());

  it("runs on its own thread: it completes while the main thread's event loop is held", async () => {
    const userId = "bulk-thread";
    const count = 3_000;
    for (let i = 0; i < count; i += 1_000)
      await server.runtime.store.insertJobs(
        Array.from({ length: 1_000 }, () => ({
          id: randomUUID(),
          userId,
          type: "echo",
          resultType: "json" as const,
          payload: { n: 1 },
          maxAttempts: 3,
          timeoutMs: 30_000,
        })),
        new Date(),
      );
    const response = await server.request("/v1/bulk-operations", {
      ...postJson({ action: "cancel", filter: { status: "pending" } }, server.token(userId)),
      headers: { "content-type": "application/json", "idempotency-key": randomUUID() },
    });
    expect(response.status, response.text).toBe(202);
    const { id } = BulkOperationResponseSchema.parse(response.body).data;

    // From here to the end of the loop nothing on this thread yields to the event loop.
    const reader = new BetterSqlite3(sqlitePath(server.database.url), { readonly: true });
    const read = reader.prepare(`SELECT "status", "succeeded" FROM "bulk_operations" WHERE "id" = ?`);
    const deadline = Date.now() + 30_000;
    let row = read.get(id) as { status: string; succeeded: number };
    while (row.status === "running" && Date.now() < deadline) row = read.get(id) as typeof row;
    reader.close();
    expect(row).toEqual({ status: "completed", succeeded: count });

    // Its events and signals reached this thread's event feed and caches: the API shows it ended.
    const shown = await server.request(`/v1/bulk-operations/${id}`, { token: server.token(userId) });
    expect(BulkOperationResponseSchema.parse(shown.body).data).toMatchObject({
      status: "completed",
      succeeded: count,
    });
  });
});
