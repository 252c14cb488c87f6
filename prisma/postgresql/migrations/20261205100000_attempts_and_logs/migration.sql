-- §14: every attempt of a job, and its log lines with the counters of the per-job cap. Ids use the
-- C collation, as in the init migration.
CREATE TABLE "job_attempts" (
    "id" BIGSERIAL NOT NULL,
    "jobId" TEXT COLLATE "C" NOT NULL,
    "attempt" INTEGER NOT NULL,
    "leaseOwner" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "error" JSONB,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "job_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "job_attempts_jobId_id_idx" ON "job_attempts"("jobId", "id");

CREATE TABLE "job_logs" (
    "jobId" TEXT COLLATE "C" NOT NULL,
    "seq" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "level" TEXT COLLATE "C" NOT NULL,
    "message" TEXT NOT NULL,
    "fields" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_logs_pkey" PRIMARY KEY ("jobId","seq")
);
CREATE INDEX "job_logs_jobId_level_seq_idx" ON "job_logs"("jobId", "level", "seq");

CREATE TABLE "job_log_counters" (
    "jobId" TEXT COLLATE "C" NOT NULL,
    "lines" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "droppedLines" INTEGER NOT NULL,

    CONSTRAINT "job_log_counters_pkey" PRIMARY KEY ("jobId")
);
