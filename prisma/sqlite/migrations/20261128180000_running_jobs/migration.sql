-- DropIndex
-- Replaced by one that ends in "id": claims read (runAt, id) order straight from the index instead
-- of sorting every runnable job on each claim.
DROP INDEX "jobs_status_runAt_idx";

-- CreateTable
CREATE TABLE "job_artifacts" (
    "jobId" TEXT NOT NULL PRIMARY KEY,
    "contentType" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
-- Written by hand where Prisma's diff says BIGINT: only INTEGER PRIMARY KEY is SQLite's 64-bit rowid,
-- and AUTOINCREMENT keeps ids from ever being reused, even after pruning empties the table, so a
-- client's Last-Event-ID never points at a newer event.
CREATE TABLE "job_events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "job_events_userId_id_idx" ON "job_events"("userId", "id");

-- CreateIndex
CREATE INDEX "job_events_createdAt_idx" ON "job_events"("createdAt");

-- CreateIndex
CREATE INDEX "jobs_status_leaseExpiresAt_idx" ON "jobs"("status", "leaseExpiresAt");


-- CreateIndex
CREATE INDEX "jobs_status_runAt_id_idx" ON "jobs"("status", "runAt", "id");
