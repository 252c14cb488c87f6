-- One ordered stream for every kind of event: `job` (data = Job), §14's `log`, §15's `bulk-operation`.
ALTER TABLE "job_events" ADD COLUMN "kind" TEXT COLLATE "C" NOT NULL DEFAULT 'job';
