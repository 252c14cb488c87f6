-- §12: the schedule that made a job and the batch it was created in, each filterable.
ALTER TABLE "jobs" ADD COLUMN "scheduleId" TEXT COLLATE "C";
ALTER TABLE "jobs" ADD COLUMN "batchId" TEXT COLLATE "C";

CREATE INDEX "jobs_scheduleId_createdAt_id_idx" ON "jobs"("scheduleId", "createdAt", "id");
CREATE INDEX "jobs_batchId_createdAt_id_idx" ON "jobs"("batchId", "createdAt", "id");
