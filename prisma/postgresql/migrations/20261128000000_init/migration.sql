-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
-- Text columns that lists sort or page by use the C collation: code-point order on every database,
-- the same order SQLite's BINARY collation gives, and what the API promises.
CREATE TABLE "jobs" (
    "id" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "type" TEXT COLLATE "C" NOT NULL,
    "status" TEXT COLLATE "C" NOT NULL,
    "resultType" TEXT COLLATE "C" NOT NULL,
    "payload" JSONB NOT NULL,
    "result" JSONB,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "timeoutMs" INTEGER NOT NULL,
    "runAt" TIMESTAMP(3) NOT NULL,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
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

