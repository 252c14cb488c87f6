-- DropIndex
-- Replaced by one that ends in "id": claims read (runAt, id) order straight from the index instead
-- of sorting every runnable job on each claim.
DROP INDEX "jobs_status_runAt_idx";

-- CreateTable
-- Ids are compared as text: the C collation, like the jobs table (see the init migration).
CREATE TABLE "job_artifacts" (
    "jobId" TEXT COLLATE "C" NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_artifacts_pkey" PRIMARY KEY ("jobId")
);

-- CreateTable
CREATE TABLE "job_events" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "jobId" TEXT COLLATE "C" NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_events_userId_id_idx" ON "job_events"("userId", "id");

-- CreateIndex
CREATE INDEX "job_events_createdAt_idx" ON "job_events"("createdAt");

-- CreateIndex
CREATE INDEX "jobs_status_leaseExpiresAt_idx" ON "jobs"("status", "leaseExpiresAt");


-- CreateIndex
CREATE INDEX "jobs_status_runAt_id_idx" ON "jobs"("status", "runAt", "id");
