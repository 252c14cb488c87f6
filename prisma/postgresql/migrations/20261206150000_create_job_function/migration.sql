-- A create without a dedupe key, tags or metadata as one function call (job-store/index.ts,
-- SqlFragments.createJobSql): its queue, the queue gate's shared lock, the row, its NOTIFYs, its
-- `created` event (last, so that its id follows every other change of the transaction) and the
-- webhook messages of that event. The same statements as the transaction they replace, whose text
-- PostgreSQL planned on every create (about 0.3 ms of the server's CPU each); a PL/pgSQL function
-- keeps its statements' plans for the session. SQLite needs none: its statements are prepared once.
CREATE FUNCTION "jobdeck_create_job"(id text, user_id text, job_type text, result_type text,
  payload text, max_attempts integer, timeout_ms integer, run_at timestamp(3), queue text,
  priority integer, concurrency_key text, schedule_id text, batch_id text, retry_of text,
  event_data text, at timestamp(3), at_iso text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "queues" ("userId", "name", "createdAt", "updatedAt")
    VALUES (user_id, queue, at, at) ON CONFLICT ("userId", "name") DO NOTHING;
  PERFORM pg_advisory_xact_lock_shared(7102025002);
  INSERT INTO "jobs" ("id", "userId", "type", "status", "resultType", "payload", "attempts",
      "maxAttempts", "timeoutMs", "runAt", "createdAt", "updatedAt", "queue", "priority", "concurrencyKey",
      "isLimited", "scheduleId", "batchId", "retryOf")
    VALUES (id, user_id, job_type, 'pending', result_type, payload::jsonb, 0, max_attempts, timeout_ms,
      run_at, at, at, queue, priority, concurrency_key,
      EXISTS (SELECT 1 FROM "queues" AS q WHERE q."userId" = user_id AND q."name" = queue AND q."isFlowControlled"),
      schedule_id, batch_id, retry_of);
  PERFORM pg_notify('jobdeck_jobs', job_type);
  PERFORM pg_notify('jobdeck_events', '');
  PERFORM "jobdeck_webhook_messages"(jsonb_build_array(jsonb_build_object('userId', user_id,
      'jobId', id, 'data', event_data, 'n', 0, 'event', 'job.created', 'jobType', job_type,
      'queue', queue)), at, at_iso, 'jobdeck_webhooks');
  INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
    VALUES (user_id, id, event_data, 'job', at);
END
$$;
