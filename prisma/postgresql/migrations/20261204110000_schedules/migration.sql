-- §12: schedules, the fire times they decided (one row per schedule and fire time), and what the
-- firing loop needs to tell a missed fire time from a late one. Ids and names use the C collation,
-- as in the init migration.
-- CreateTable
CREATE TABLE "schedules" (
    "id" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "queue" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "overlap" TEXT NOT NULL,
    "catchUp" TEXT NOT NULL,
    "isPaused" BOOLEAN NOT NULL DEFAULT false,
    "nextRunAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastJobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_fires" (
    "scheduleId" TEXT COLLATE "C" NOT NULL,
    "fireAt" TIMESTAMP(3) NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedule_fires_pkey" PRIMARY KEY ("scheduleId","fireAt")
);

-- CreateTable
CREATE TABLE "schedule_clock" (
    "id" INTEGER NOT NULL,
    "lastTickAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedule_clock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_downtimes" (
    "fromAt" TIMESTAMP(3) NOT NULL,
    "toAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedule_downtimes_pkey" PRIMARY KEY ("fromAt")
);

-- CreateIndex
CREATE INDEX "schedules_userId_createdAt_id_idx" ON "schedules"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "schedules_nextRunAt_idx" ON "schedules"("nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "schedules_userId_name_key" ON "schedules"("userId", "name");

-- CreateIndex
CREATE INDEX "schedule_fires_createdAt_idx" ON "schedule_fires"("createdAt");

