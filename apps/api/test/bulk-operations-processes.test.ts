import { randomUUID } from "node:crypto";
import { BulkOperationResponseSchema } from "@jobdeck/contract";
import { afterAll, describe, expect, it } from "vitest";
import { bootSecondRuntime, signHs256, TEST_JWT_SECRET } from "./support/server.js";
import { closeRuntime } from "../src/boot.js";
import { createTestDatabase, testProviders } from "./support/databases.js";
import { openPrisma } from "./support/prisma.js";
import { assertWorkerBuilt, distEntry, startProcess, type RunningProcess } from "./support/processes.js";
import { until } from "./support/wait.js";

/**
 * Exactly once per job across a SIGKILL (§15): two built server processes with WORKER_CONCURRENCY=0
 * (no worker slot at all) share one database; a bulk retry of 10,000 failed jobs starts, and the
 * process holding the operation is SIGKILLed in the middle, possibly inside a chunk. The other takes
 * it over once the lease has run out. The record — every retry names its original in retryOf —
 * must show each original retried exactly once, another user's jobs never, and the operation's
 * counts agreeing with it.
 */

const providers = await testProviders();
const ORIGINALS = 10_000;

describe.each(providers)("a bulk operation across server processes on %s", (provider) => {
  const processes: RunningProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const one of processes) if (one.child.exitCode === null) one.child.kill("SIGKILL");
    await Promise.all(processes.map((one) => one.exited));
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("retries each matched job exactly once, with the process running it SIGKILLed in the middle", async () => {
    // The built entry points run the code under test (npx turbo run build first).
    assertWorkerBuilt(["bulk-operations/runner.ts", "db/bulk-store/index.ts", "bulk-operations/actions.ts"]);
    const database = await createTestDatabase(provider);
    cleanups.push(() => database.drop());
    const prisma = openPrisma(database);
    cleanups.push(() => prisma.$disconnect());

    // The jobs, through the job store (as the API writes them), then failed as a worker would.
    const seeder = await bootSecondRuntime(database);
    const seed = async (userId: string, count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1_000) {
        const rows = await seeder.store.insertJobs(
          Array.from({ length: Math.min(1_000, count - i) }, () => ({
            id: randomUUID(),
            userId,
            type: "echo",
            resultType: "json",
            payload: { n: i },
            maxAttempts: 3,
            timeoutMs: 30_000,
          })),
          new Date(),
        );
        ids.push(...rows.map((row) => row.id));
      }
      await seeder.db.writer.run(
        `UPDATE "jobs" SET "status" = 'failed', "finishedAt" = "createdAt", "error" = @error WHERE "userId" = @userId`,
        { userId, error: JSON.stringify({ code: "BOOM", message: "boom" }) },
      );
      return ids;
    };
    const originals = await seed("alice", ORIGINALS);
    const others = await seed("bob", 200);
    await closeRuntime(seeder);

    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: "0",
      WORKER_CONCURRENCY: "0",
      // A short lease: the survivor takes the operation over soon after the kill.
      WORKER_LEASE_MS: "1000",
      RATE_LIMIT_PER_MINUTE: "100000",
    };
    const servers = [
      startProcess(distEntry("main.js"), [], env),
      startProcess(distEntry("main.js"), [], env),
    ];
    processes.push(...servers);
    const urls = await Promise.all(
      servers.map(async (one) => (await one.waitFor(/jobdeck is running at (http:\/\/\S+)/))[1]!),
    );
    for (const one of servers) await one.waitFor(/Running no jobs here \(WORKER_CONCURRENCY=0\)/);

    const token = signHs256({ sub: "alice", exp: Math.floor(Date.now() / 1000) + 3600 }, TEST_JWT_SECRET);
    const response = await fetch(`${urls[0]}/v1/bulk-operations`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": randomUUID(),
      },
      body: JSON.stringify({ action: "retry", filter: { status: "failed", errorCode: "BOOM" } }),
    });
    expect(response.status).toBe(202);
    const operation = BulkOperationResponseSchema.parse(await response.json()).data;
    expect(operation.matched).toBe(ORIGINALS);

    // In the middle: some jobs processed, not all; kill whichever process holds it.
    const held = await until(async () => {
      const row = await prisma.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } });
      const processed = row.succeeded + row.skipped;
      return processed >= 500 && processed < ORIGINALS && row.leaseOwner !== null && row;
    }, 60_000);
    const pid = Number(held.leaseOwner!.split(":")[1]);
    const victim = servers.find((one) => one.child.pid === pid);
    expect(victim, `lease owner ${held.leaseOwner}`).toBeDefined();
    victim!.child.kill("SIGKILL");
    await victim!.exited;
    const survivor = servers.find((one) => one !== victim)!;

    const finished = await until(async () => {
      const answer = await fetch(`${urls[servers.indexOf(survivor)]}/v1/bulk-operations/${operation.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const current = BulkOperationResponseSchema.parse(await answer.json()).data;
      return current.status !== "running" && current;
    }, 120_000);
    expect(finished).toMatchObject({
      status: "completed",
      matched: ORIGINALS,
      processed: ORIGINALS,
      succeeded: ORIGINALS,
      skipped: 0,
    });

    // The record: each original retried exactly once, and nothing else retried.
    const retries = await prisma.job.findMany({
      where: { retryOf: { not: null } },
      select: { retryOf: true, userId: true, status: true },
    });
    const perOriginal = new Map<string, number>();
    for (const retry of retries) perOriginal.set(retry.retryOf!, (perOriginal.get(retry.retryOf!) ?? 0) + 1);
    expect(retries.length).toBe(ORIGINALS);
    expect([...perOriginal.values()].every((count) => count === 1)).toBe(true);
    expect(originals.every((id) => perOriginal.get(id) === 1)).toBe(true);
    expect(others.some((id) => perOriginal.has(id))).toBe(false);
    expect(retries.every((retry) => retry.userId === "alice" && retry.status === "pending")).toBe(true);
    // Nothing left to do, and the survivor still serves.
    expect(await prisma.bulkOperationItem.count({ where: { operationId: operation.id } })).toBe(0);
    survivor.child.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
  });
});
