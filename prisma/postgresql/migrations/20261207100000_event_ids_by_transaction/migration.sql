-- Event ids are no longer drawn from a sequence under one advisory lock held to every commit (which
-- made every writer wait for the one before it, fsync included). An event's id is now its
-- transaction's id shifted left by 20 bits plus its place among that transaction's events, and the
-- event feed reads only below the oldest transaction of this database still running (docs/api.md
-- §9.6; apps/api/src/db/dialect/postgresql.ts). The API writes every id itself. Any other writer
-- (a script, the tests' fixtures) gets one of the same form by default: the transaction's id, plus
-- the sequence's next value modulo 2^20, unique and increasing within a transaction that writes
-- fewer events than that while others write.
--
-- A client's `Last-Event-ID` from before this migration keeps working only if every id written
-- before it is below every id written after it; with fewer than 2^20 events per transaction on
-- average that always holds. Checked rather than assumed:
DO $$
BEGIN
  IF (SELECT COALESCE(max("id"), 0) FROM "job_events") >= (pg_current_xact_id()::text::bigint << 20) THEN
    RAISE EXCEPTION 'job_events holds ids beyond the first transaction-ordered id; they would be read out of order';
  END IF;
END $$;
ALTER TABLE "job_events" ALTER COLUMN "id"
  SET DEFAULT (pg_current_xact_id()::text::bigint << 20) + (nextval('"job_events_id_seq"') % 1048576);
