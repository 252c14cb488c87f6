import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect } from "vitest";
import { createBulkRunner } from "../src/bulk-operations/runner.js";
import { acceptBulkOperation } from "../src/db/bulk-store/index.js";
import { bulkOperationEventData } from "../src/bulk-operations/mapper.js";
import type { Database } from "../src/db/index.js";
import type { JobStore } from "../src/db/job-store/index.js";
import { createJobTypeRegistry } from "../src/job-types/registry.js";
import { testProviders } from "./support/databases.js";
import { jobFactory, silentLogger, test } from "./support/fixtures.js";

const providers = await testProviders();
const POLL_MS = 5_000;

/**
 * A bulk runner stopped while its look for an operation is under way (here held on purpose: a
 * second connection locks the operations' table) stops when that look returns, not a poll later,
 * and hands back an operation the look took after the stop instead of keeping it until its lease
 * runs out.
 */
describe.each(providers.filter((provider) => provider === "postgresql"))(
  "a bulk runner stopped during its claim, against a real %s database",
  (provider) => {
    test.override({ provider });
    const newJob = jobFactory();

    /** Starts a runner whose first claim waits behind a lock on the operations' table, and stops it. */
    async function stopDuringClaim(db: Database, store: JobStore, url: string) {
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("BEGIN");
        await holder.query(`LOCK TABLE "bulk_operations" IN ACCESS EXCLUSIVE MODE`);
        const looks: boolean[] = [];
        const runner = createBulkRunner({
          db,
          store,
          registry: createJobTypeRegistry([]),
          logger: silentLogger,
          leaseMs: 60_000,
          pollMs: POLL_MS,
          onLook: (isFound) => looks.push(isFound),
        });
        runner.start();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(looks).toEqual([]);
        const stopping = runner.stop();
        const stoppedAt = performance.now();
        await holder.query("COMMIT");
        await stopping;
        return { looks, stopMs: performance.now() - stoppedAt };
      } finally {
        await holder.end();
      }
    }

    test("stops as a claim that found nothing returns, not a poll later", async ({ db, store, database }) => {
      const { looks, stopMs } = await stopDuringClaim(db, store, database.url);
      expect(looks).toEqual([false]);
      expect(stopMs).toBeLessThan(POLL_MS / 2);
    });

    test("hands back the operation a claim took after the stop", async ({ db, store, database }) => {
      await store.insertJob(newJob(), new Date(Date.now() - 60_000));
      const operation = await acceptBulkOperation(db, {
        id: randomUUID(),
        userId: "u",
        action: "cancel",
        selection: "{}",
        conditions: [`"userId" = @userId`],
        params: { userId: "u" },
        now: new Date(),
        eventData: bulkOperationEventData,
      });
      expect(operation.status).toBe("running");
      const { looks, stopMs } = await stopDuringClaim(db, store, database.url);
      expect(looks).toEqual([true]);
      expect(stopMs).toBeLessThan(POLL_MS / 2);
      const [row] = await db.read.all<{ leaseOwner: string | null; status: string }>(
        `SELECT "leaseOwner", "status" FROM "bulk_operations" WHERE "id" = @id`,
        { id: operation.id },
      );
      // Nobody holds it: another runner takes it at its next look, not after a 60 s lease.
      expect(row).toEqual({ leaseOwner: null, status: "running" });
    });
  },
);
