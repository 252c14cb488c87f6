-- Rate-limit counters are written on every API request and are worth nothing after a crash (a
-- window restarts). Unlogged, their upsert writes no WAL and waits for no fsync: on PostgreSQL that
-- wait was a second durable commit per request, as costly as the job insert itself (bench R4).
-- Prisma's schema has no word for this; `prisma migrate diff` ignores it.
ALTER TABLE "rate_limit_counters" SET UNLOGGED;
