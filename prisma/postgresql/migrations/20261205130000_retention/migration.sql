-- §15: each user's retention setting (days kept per final status, NULL = forever); the sweep's
-- index (one user's ended jobs of one status by finishedAt); and job_events by jobId, so that
-- deleting a job deletes its events without reading the whole stream.
-- Ids use the C collation, as in the init migration.
-- CreateTable
CREATE TABLE "retention_settings" (
    "userId" TEXT COLLATE "C" NOT NULL,
    "completedDays" INTEGER,
    "failedDays" INTEGER,
    "cancelledDays" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "retention_settings_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "jobs_userId_status_finishedAt_idx" ON "jobs"("userId", "status", "finishedAt");

-- CreateIndex
CREATE INDEX "job_events_jobId_idx" ON "job_events"("jobId");

