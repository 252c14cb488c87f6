-- §13: the webhook messages of a transaction's events, as a function. The statement that appends
-- events is sent with literals (the simple protocol, with the COMMIT) and so is planned on every
-- call; with the messages' INSERT … SELECT in it, planning alone took about 1 ms per append (every
-- create, claim and settle). A PL/pgSQL function keeps its statements' plans for the session, so
-- the append plans one function call instead. SQLite needs none: its statements are prepared once.
CREATE FUNCTION "jobdeck_webhook_messages"(events jsonb, at timestamp(3), at_iso text, channel text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer := 0;
BEGIN
  IF events IS NULL THEN
    RETURN 0;
  END IF;
  INSERT INTO "webhook_messages" ("id", "webhookId", "userId", "eventType", "jobId", "body", "status",
    "nextAttemptAt", "expiresAt", "createdAt", "updatedAt")
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), w."id", w."userId", e."event", e."jobId",
    '{"type":"' || e."event" || '","timestamp":"' || at_iso || '","data":' || e."data" || '}',
    'pending', at, at + interval '24 hours', at, at
  FROM jsonb_to_recordset(events) AS e("userId" text, "jobId" text, "data" text, "n" integer, "event" text,
    "jobType" text, "queue" text)
  JOIN "webhooks" AS w ON w."userId" = e."userId"
  WHERE w."isEnabled"
    AND w."events" @> jsonb_build_array(e."event")
    AND (w."filterTypes" IS NULL OR w."filterTypes" @> jsonb_build_array(e."jobType"))
    AND (w."filterQueues" IS NULL OR w."filterQueues" @> jsonb_build_array(e."queue"))
  ORDER BY e."n";
  GET DIAGNOSTICS written = ROW_COUNT;
  IF written > 0 THEN
    PERFORM pg_notify(channel, '');
  END IF;
  RETURN written;
END
$$;
