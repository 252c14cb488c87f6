-- §15: tags and metadata as rows, so that their filters read an index range (models.prisma).
-- COLLATE "C" as on jobs: the same order of ids as the list's keyset.
-- CreateTable
CREATE TABLE "job_tags" (
    "jobId" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "tag" TEXT COLLATE "C" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_tags_pkey" PRIMARY KEY ("jobId","tag")
);

-- CreateTable
CREATE TABLE "job_metadata" (
    "jobId" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "key" TEXT COLLATE "C" NOT NULL,
    "value" TEXT COLLATE "C" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_metadata_pkey" PRIMARY KEY ("jobId","key")
);

-- CreateIndex
CREATE INDEX "job_tags_userId_tag_createdAt_jobId_idx" ON "job_tags"("userId", "tag", "createdAt", "jobId");

-- CreateIndex
CREATE INDEX "job_metadata_userId_key_value_createdAt_jobId_idx" ON "job_metadata"("userId", "key", "value", "createdAt", "jobId");

-- The jobs created with tags or metadata before this migration.
INSERT INTO "job_tags" ("jobId", "userId", "tag", "createdAt")
  SELECT "jobs"."id", "jobs"."userId", "t"."value", "jobs"."createdAt"
  FROM "jobs", jsonb_array_elements_text("jobs"."tags") AS "t"("value")
  WHERE "jobs"."tags" IS NOT NULL;
INSERT INTO "job_metadata" ("jobId", "userId", "key", "value", "createdAt")
  SELECT "jobs"."id", "jobs"."userId", "m"."key", "m"."value"::text, "jobs"."createdAt"
  FROM "jobs", jsonb_each("jobs"."metadata") AS "m"
  WHERE "jobs"."metadata" IS NOT NULL;
