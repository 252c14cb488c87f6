-- §15: bulk operations, and the jobs each still has to process (a snapshot taken when it was
-- accepted, deleted chunk by chunk as its jobs are processed). Ids use the C collation, as in the
-- init migration, so that they compare with "jobs"."id" alike.
-- CreateTable
CREATE TABLE "bulk_operations" (
    "id" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "selection" TEXT NOT NULL,
    "matched" INTEGER NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),

    CONSTRAINT "bulk_operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_operation_items" (
    "operationId" TEXT COLLATE "C" NOT NULL,
    "jobId" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "bulk_operation_items_pkey" PRIMARY KEY ("operationId","jobId")
);

-- CreateIndex
CREATE INDEX "bulk_operations_userId_createdAt_id_idx" ON "bulk_operations"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "bulk_operations_status_leaseExpiresAt_idx" ON "bulk_operations"("status", "leaseExpiresAt");
