-- §13: webhooks, the messages their events cause, and the log of every attempt to send one.
CREATE TABLE "webhooks" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "filterTypes" JSONB,
    "filterQueues" JSONB,
    "isEnabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
CREATE TABLE "webhook_messages" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "jobId" TEXT,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "leaseOwner" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "jobId" TEXT,
    "attempt" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "durationMs" INTEGER,
    "error" JSONB,
    "nextAttemptAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);
-- CreateIndex
CREATE INDEX "webhooks_userId_createdAt_id_idx" ON "webhooks"("userId", "createdAt", "id");
-- CreateIndex
CREATE INDEX "webhook_messages_status_nextAttemptAt_idx" ON "webhook_messages"("status", "nextAttemptAt");
-- CreateIndex
CREATE INDEX "webhook_messages_webhookId_idx" ON "webhook_messages"("webhookId");
-- CreateIndex
CREATE INDEX "webhook_deliveries_webhookId_createdAt_id_idx" ON "webhook_deliveries"("webhookId", "createdAt", "id");
