import { describe, expect, it } from "vitest";
import { EVENT_DELETE_BATCH, deleteEventsBefore } from "../src/db/queries/events.js";
import { chores } from "../src/housekeeping.js";
import { testProviders } from "./support/databases.js";
import { startTestServer } from "./support/server.js";

const providers = await testProviders();

describe.each(providers)("housekeeping on %s", (provider) => {
  it("deletes expired idempotency keys, rate limit counters, old queue starts, gone workers, old schedule fires and downtimes, old webhook history, and nothing else", async () => {
    const server = await startTestServer(provider);
    try {
      const prisma = server.prisma;
      // The rows to keep are a minute inside their cutoffs: each chore reads the clock when it runs.
      const now = Date.now();
      await prisma.idempotencyKey.createMany({
        data: [
          {
            userId: "a",
            key: "old",
            fingerprint: "f",
            createdAt: new Date(now - 90_000_000),
            expiresAt: new Date(now - 1),
          },
          {
            userId: "a",
            key: "new",
            fingerprint: "f",
            createdAt: new Date(now),
            expiresAt: new Date(now + 60_000),
          },
        ],
      });
      await prisma.rateLimitCounter.createMany({
        data: [
          { key: "user:old", hits: 3, resetAt: new Date(now - 1) },
          { key: "user:new", hits: 3, resetAt: new Date(now + 60_000) },
        ],
      });
      await prisma.queueStart.createMany({
        data: [
          { userId: "a", queue: "q", concurrencyKey: "", startedAt: new Date(now - 86_400_001) },
          { userId: "a", queue: "q", concurrencyKey: "", startedAt: new Date(now - 86_340_000) },
        ],
      });
      await prisma.worker.createMany({
        data: [
          { id: "gone", types: "[]", concurrency: 1, lastSeenAt: new Date(now - 3_600_001) },
          { id: "alive", types: "[]", concurrency: 1, lastSeenAt: new Date(now - 3_540_000) },
        ],
      });
      await prisma.scheduleFire.createMany({
        data: [
          {
            scheduleId: "s",
            fireAt: new Date(now - 86_401_000),
            jobId: null,
            createdAt: new Date(now - 86_400_001),
          },
          {
            scheduleId: "s",
            fireAt: new Date(now - 86_340_000),
            jobId: "j",
            createdAt: new Date(now - 86_340_000),
          },
        ],
      });
      await prisma.scheduleDowntime.createMany({
        data: [
          { fromAt: new Date(now - 40 * 86_400_000), toAt: new Date(now - 30 * 86_400_000 - 1) },
          { fromAt: new Date(now - 2 * 86_400_000), toAt: new Date(now - 86_400_000) },
        ],
      });
      // Webhook history: 30 days are kept; an old message still pending (retried, or redelivered) stays.
      const DAY = 86_400_000;
      const message = (id: string, status: string, updatedAt: number) => ({
        id,
        webhookId: "w",
        userId: "a",
        eventType: "job.completed",
        body: "{}",
        status,
        expiresAt: new Date(updatedAt + DAY),
        createdAt: new Date(updatedAt),
        updatedAt: new Date(updatedAt),
      });
      await prisma.webhookMessage.createMany({
        data: [
          message("old-delivered", "delivered", now - 31 * DAY),
          message("old-failed", "failed", now - 31 * DAY),
          message("old-pending", "pending", now - 31 * DAY),
          message("new-delivered", "delivered", now - 29 * DAY),
        ],
      });
      const delivery = (id: string, createdAt: number) => ({
        id,
        webhookId: "w",
        messageId: "m",
        eventType: "job.completed",
        attempt: 1,
        createdAt: new Date(createdAt),
      });
      await prisma.webhookDelivery.createMany({
        data: [delivery("d-old", now - 30 * DAY - 1000), delivery("d-new", now - 30 * DAY + 60_000)],
      });
      const counts = [];
      for (const chore of chores({ eventRetentionMs: 24 * 3600_000, webhookRetentionMs: 30 * DAY }))
        counts.push(await chore.run(server.runtime.db));
      // Creating nothing through the API here, there are no job events to prune.
      expect(counts).toEqual([1, 1, 0, 1, 1, 1, 1, 3]);
      expect((await prisma.webhookMessage.findMany({ orderBy: { id: "asc" } })).map((m) => m.id)).toEqual([
        "new-delivered",
        "old-pending",
      ]);
      expect((await prisma.webhookDelivery.findMany()).map((d) => d.id)).toEqual(["d-new"]);
      expect((await prisma.scheduleFire.findMany()).map((f) => f.jobId)).toEqual(["j"]);
      expect((await prisma.scheduleDowntime.findMany()).map((d) => d.toAt.getTime())).toEqual([
        now - 86_400_000,
      ]);
      expect((await prisma.queueStart.findMany()).map((s) => s.startedAt.getTime())).toEqual([
        now - 86_340_000,
      ]);
      // The test server runs no worker: only the rows written here.
      expect((await prisma.worker.findMany()).map((w) => w.id)).toEqual(["alive"]);
      expect((await prisma.idempotencyKey.findMany()).map((k) => k.key)).toEqual(["new"]);
      expect((await prisma.rateLimitCounter.findMany()).map((k) => k.key)).toEqual(["user:new"]);
    } finally {
      await server.close();
    }
  });
});

describe.each(providers)("old job events on %s", (provider) => {
  it("deletes events older than the retention in batches of EVENT_DELETE_BATCH, oldest first, and keeps the rest", async () => {
    const server = await startTestServer(provider);
    try {
      const now = Date.now();
      const old = EVENT_DELETE_BATCH * 2 + 17;
      const insert = (count: number, at: Date, tag: string) =>
        server.runtime.db.writer.run(
          `WITH RECURSIVE "n"("i") AS (SELECT 1 UNION ALL SELECT "i" + 1 FROM "n" WHERE "i" < @count)
          INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
          SELECT 'alice', @tag || CAST("i" AS TEXT), '{}', 'job', @at FROM "n"`,
          { count, at, tag },
        );
      await insert(old, new Date(now - 3 * 3_600_000), "old-");
      await insert(10, new Date(now - 60_000), "new-");
      const deleted = await deleteEventsBefore(server.runtime.db, new Date(now - 3_600_000));
      expect(deleted).toBe(old);
      const left = await server.runtime.db.read.all<{ jobId: string }>(`SELECT "jobId" FROM "job_events"`);
      expect(left.map((row) => row.jobId).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `new-${i + 1}`).sort(),
      );
    } finally {
      await server.close();
    }
  });
});
