-- CreateTable
CREATE TABLE "jobs" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "resultType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "result" JSONB,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "timeoutMs" INTEGER NOT NULL,
    "runAt" DATETIME NOT NULL,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "cancelRequestedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "jobs_userId_createdAt_id_idx" ON "jobs"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "jobs_userId_updatedAt_id_idx" ON "jobs"("userId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "jobs_userId_type_id_idx" ON "jobs"("userId", "type", "id");

-- CreateIndex
CREATE INDEX "jobs_userId_status_id_idx" ON "jobs"("userId", "status", "id");

-- CreateIndex
CREATE INDEX "jobs_status_runAt_idx" ON "jobs"("status", "runAt");

