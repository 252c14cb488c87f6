-- §14: every attempt of a job, and its log lines with the counters of the per-job cap.
CREATE TABLE "job_attempts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "leaseOwner" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "error" JSONB,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);
CREATE INDEX "job_attempts_jobId_id_idx" ON "job_attempts"("jobId", "id");

CREATE TABLE "job_logs" (
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "fields" TEXT,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("jobId", "seq")
);
CREATE INDEX "job_logs_jobId_level_seq_idx" ON "job_logs"("jobId", "level", "seq");

CREATE TABLE "job_log_counters" (
    "jobId" TEXT NOT NULL PRIMARY KEY,
    "lines" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "droppedLines" INTEGER NOT NULL
);
