-- The data of a job's event, written by PostgreSQL itself: the job as the API shows it
-- (apps/api/src/jobs/mapper.ts, toJob), as the text JSON.stringify writes for it, fields in the same
-- order, no spaces. With it a statement that changes jobs can append their events in the same
-- statement (a claim is then one message: BEGIN, the start, its events, COMMIT), instead of
-- sending the changed rows to the process and the events back. test/job-event-data.test.ts holds
-- it equal to the process's own text. One difference is left: numbers in JSON columns are written
-- as PostgreSQL keeps them (1e21 as 1000000000000000000000, where JavaScript writes 1e+21; beyond
-- 2^53 exactly, where JavaScript rounds), the same values.
-- SQLite needs none: a statement there costs no round trip.

-- A JSON value's text without the spaces jsonb's output puts after ':' and ',' (strings are kept
-- whole: the first branch takes each one, escapes included).
CREATE FUNCTION "jobdeck_json_text"(value jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(value::text, '("(?:[^"\\]|\\.)*")| +', '\1', 'g')
$$;

-- Date.prototype.toISOString of a timestamp(3) holding UTC.
CREATE FUNCTION "jobdeck_iso_text"(at timestamp(3)) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '"' || to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'
$$;

-- Job row `j`'s event data; `now` is the moment a pending job's waitReason is told for, from its
-- row alone (mapper.ts, rowWaitReason).
CREATE FUNCTION "jobdeck_job_data"(j "jobs", now timestamp(3)) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT '{"id":' || to_json(j."id")::text
    || ',"type":' || to_json(j."type")::text
    || ',"status":' || to_json(j."status")::text
    || ',"resultType":' || to_json(j."resultType")::text
    || ',"payload":' || "jobdeck_json_text"(j."payload")
    || ',"result":' || COALESCE("jobdeck_json_text"(j."result"), 'null')
    || ',"error":' || COALESCE("jobdeck_json_text"(j."error"), 'null')
    || ',"attempts":' || j."attempts"::text
    || ',"maxAttempts":' || j."maxAttempts"::text
    || ',"createdAt":' || "jobdeck_iso_text"(j."createdAt")
    || ',"updatedAt":' || "jobdeck_iso_text"(j."updatedAt")
    || ',"startedAt":' || COALESCE("jobdeck_iso_text"(j."startedAt"), 'null')
    || ',"finishedAt":' || COALESCE("jobdeck_iso_text"(j."finishedAt"), 'null')
    || ',"queue":' || to_json(j."queue")::text
    || ',"priority":' || j."priority"::text
    || ',"runAt":' || "jobdeck_iso_text"(j."runAt")
    || ',"concurrencyKey":' || COALESCE(to_json(j."concurrencyKey")::text, 'null')
    || ',"dedupeKey":' || COALESCE(to_json(j."dedupeKey")::text, 'null')
    || ',"waitReason":' || CASE
      WHEN j."status" <> 'pending' THEN 'null'
      WHEN j."runAt" > now THEN CASE WHEN j."attempts" > 0 THEN '"backoff"' ELSE '"scheduled"' END
      ELSE '"queued"' END
    || ',"scheduleId":' || COALESCE(to_json(j."scheduleId")::text, 'null')
    || ',"batchId":' || COALESCE(to_json(j."batchId")::text, 'null')
    || ',"retryOf":' || COALESCE(to_json(j."retryOf")::text, 'null')
    || ',"progress":' || COALESCE("jobdeck_json_text"(j."progress"), 'null')
    || ',"tags":' || COALESCE("jobdeck_json_text"(j."tags"), '[]')
    || ',"metadata":' || COALESCE("jobdeck_json_text"(j."metadata"), '{}')
    || '}'
$$;
