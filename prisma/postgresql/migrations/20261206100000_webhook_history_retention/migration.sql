-- Housekeeping prunes webhook deliveries and ended messages after WEBHOOK_RETENTION_DAYS (default
-- 30), in batches, each through its own index instead of a scan of the whole table.
-- CreateIndex
CREATE INDEX "webhook_messages_updatedAt_idx" ON "webhook_messages"("updatedAt");

-- CreateIndex
CREATE INDEX "webhook_deliveries_createdAt_idx" ON "webhook_deliveries"("createdAt");
