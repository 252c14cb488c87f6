-- §12: schedules, the fire times they decided (one row per schedule and fire time), and what the
-- firing loop needs to tell a missed fire time from a late one.
-- CreateTable
CREATE TABLE "schedules" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "queue" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "overlap" TEXT NOT NULL,
    "catchUp" TEXT NOT NULL,
    "isPaused" BOOLEAN NOT NULL DEFAULT false,
    "nextRunAt" DATETIME,
    "lastRunAt" DATETIME,
    "lastJobId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "schedule_fires" (
    "scheduleId" TEXT NOT NULL,
    "fireAt" DATETIME NOT NULL,
    "jobId" TEXT,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("scheduleId", "fireAt")
);

-- CreateTable
CREATE TABLE "schedule_clock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "lastTickAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "schedule_downtimes" (
    "fromAt" DATETIME NOT NULL PRIMARY KEY,
    "toAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "schedules_userId_createdAt_id_idx" ON "schedules"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "schedules_nextRunAt_idx" ON "schedules"("nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "schedules_userId_name_key" ON "schedules"("userId", "name");

-- CreateIndex
CREATE INDEX "schedule_fires_createdAt_idx" ON "schedule_fires"("createdAt");

