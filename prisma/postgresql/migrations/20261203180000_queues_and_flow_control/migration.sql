-- §11: queues, priorities, scheduled starts and flow control. Text that is sorted, paged or
-- compared uses the C collation, as in the init migration.
ALTER TABLE "jobs" ADD COLUMN "queue" TEXT COLLATE "C" NOT NULL DEFAULT 'default';
ALTER TABLE "jobs" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "jobs" ADD COLUMN "concurrencyKey" TEXT COLLATE "C";
ALTER TABLE "jobs" ADD COLUMN "dedupeKey" TEXT COLLATE "C";
ALTER TABLE "jobs" ADD COLUMN "isLimited" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "jobs" ADD COLUMN "dedupeSlot" TEXT COLLATE "C";

CREATE INDEX "jobs_userId_runAt_id_idx" ON "jobs"("userId", "runAt", "id");
CREATE INDEX "jobs_userId_priority_id_idx" ON "jobs"("userId", "priority", "id");
CREATE INDEX "jobs_status_isLimited_priority_runAt_id_idx" ON "jobs"("status", "isLimited", "priority" DESC, "runAt", "id");
CREATE INDEX "jobs_userId_queue_status_priority_runAt_id_idx"
  ON "jobs"("userId", "queue", "status", "priority" DESC, "runAt", "id");
CREATE INDEX "jobs_userId_queue_status_concurrencyKey_priority_runAt_id_idx"
  ON "jobs"("userId", "queue", "status", "concurrencyKey", "priority" DESC, "runAt", "id");
-- Written by hand: one pending job per (owner, queue, dedupe key), whatever the number of processes.
CREATE UNIQUE INDEX "jobs_pending_dedupe_key" ON "jobs"("userId", "queue", "dedupeSlot")
  WHERE "status" = 'pending' AND "dedupeSlot" IS NOT NULL;

CREATE TABLE "queues" (
    "userId" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "isPaused" BOOLEAN NOT NULL DEFAULT false,
    "concurrency" INTEGER,
    "perKeyConcurrency" INTEGER,
    "rateLimit" INTEGER,
    "ratePeriodMs" INTEGER,
    "perKeyRateLimit" INTEGER,
    "perKeyRatePeriodMs" INTEGER,
    "isFlowControlled" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "keyCursor" TEXT COLLATE "C",
    "lastLookedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "queues_pkey" PRIMARY KEY ("userId", "name")
);
CREATE INDEX "queues_isFlowControlled_lastLookedAt_idx" ON "queues"("isFlowControlled", "lastLookedAt");

-- Every queue that already holds jobs exists.
INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt")
  SELECT "userId", 'default', MIN("createdAt"), MIN("createdAt") FROM "jobs" GROUP BY "userId";

CREATE TABLE "queue_starts" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "queue" TEXT COLLATE "C" NOT NULL,
    "concurrencyKey" TEXT COLLATE "C" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "queue_starts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "queue_starts_userId_queue_startedAt_idx" ON "queue_starts"("userId", "queue", "startedAt");
CREATE INDEX "queue_starts_userId_queue_concurrencyKey_startedAt_idx" ON "queue_starts"("userId", "queue", "concurrencyKey", "startedAt");
CREATE INDEX "queue_starts_startedAt_idx" ON "queue_starts"("startedAt");

CREATE TABLE "workers" (
    "id" TEXT NOT NULL,
    "types" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "workers_lastSeenAt_idx" ON "workers"("lastSeenAt");
