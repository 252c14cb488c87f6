-- §15: bulk operations, and the jobs each still has to process (a snapshot taken when it was
-- accepted, deleted chunk by chunk as its jobs are processed).
-- CreateTable
CREATE TABLE "bulk_operations" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "selection" TEXT NOT NULL,
    "matched" INTEGER NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME
);

-- CreateTable
CREATE TABLE "bulk_operation_items" (
    "operationId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,

    PRIMARY KEY ("operationId", "jobId")
);

-- CreateIndex
CREATE INDEX "bulk_operations_userId_createdAt_id_idx" ON "bulk_operations"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "bulk_operations_status_leaseExpiresAt_idx" ON "bulk_operations"("status", "leaseExpiresAt");
