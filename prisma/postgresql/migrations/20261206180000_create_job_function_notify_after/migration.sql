-- jobdeck_create_job without its NOTIFYs of `jobs` and `events`: the caller sends them just after
-- the commit (Tx.signalAfterCommit). A NOTIFY inside a transaction takes PostgreSQL's one notify
-- lock and holds it through the commit's WAL flush, so concurrent creates committed one fsync at a
-- time (pg_stat_activity under R4: Lock:object on most sessions); without it they share fsyncs.
CREATE OR REPLACE FUNCTION "jobdeck_create_job"(id text, user_id text, job_type text, result_type text,
  payload text, max_attempts integer, timeout_ms integer, run_at timestamp(3), queue text,
  priority integer, concurrency_key text, schedule_id text, batch_id text, retry_of text,
  event_data text, at timestamp(3), at_iso text, alive_since timestamp(3))
RETURNS TABLE("workerTypes" text[], "isPaused" boolean, "concurrency" integer,
  "perKeyConcurrency" integer, "rateLimit" integer, "ratePeriodMs" integer, "perKeyRateLimit" integer,
  "perKeyRatePeriodMs" integer)
LANGUAGE plpgsql AS $$
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
  PERFORM "jobdeck_webhook_messages"(jsonb_build_array(jsonb_build_object('userId', user_id,
      'jobId', id, 'data', event_data, 'n', 0, 'event', 'job.created', 'jobType', job_type,
      'queue', queue)), at, at_iso, 'jobdeck_webhooks');
  INSERT INTO "job_events" ("userId", "jobId", "data", "kind", "createdAt")
    VALUES (user_id, id, event_data, 'job', at);
  RETURN QUERY SELECT ARRAY(SELECT w."types" FROM "workers" AS w
      WHERE w."lastSeenAt" > alive_since AND w."concurrency" > 0),
    q."isPaused", q."concurrency", q."perKeyConcurrency", q."rateLimit", q."ratePeriodMs",
    q."perKeyRateLimit", q."perKeyRatePeriodMs"
    FROM "queues" AS q WHERE q."userId" = user_id AND q."name" = queue;
END
$$;
