-- §14–15: the job a retry retries, the caller's tags and metadata, the handler's progress.
ALTER TABLE "jobs" ADD COLUMN "retryOf" TEXT COLLATE "C";
ALTER TABLE "jobs" ADD COLUMN "tags" JSONB;
ALTER TABLE "jobs" ADD COLUMN "metadata" JSONB;
ALTER TABLE "jobs" ADD COLUMN "progress" JSONB;
