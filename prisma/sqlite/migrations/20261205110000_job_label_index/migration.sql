-- §15: tags and metadata as rows, so that their filters read an index range (models.prisma).
-- CreateTable
CREATE TABLE "job_tags" (
    "jobId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("jobId", "tag")
);

-- CreateTable
CREATE TABLE "job_metadata" (
    "jobId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("jobId", "key")
);

-- CreateIndex
CREATE INDEX "job_tags_userId_tag_createdAt_jobId_idx" ON "job_tags"("userId", "tag", "createdAt", "jobId");

-- CreateIndex
CREATE INDEX "job_metadata_userId_key_value_createdAt_jobId_idx" ON "job_metadata"("userId", "key", "value", "createdAt", "jobId");

-- The jobs created with tags or metadata before this migration.
INSERT INTO "job_tags" ("jobId", "userId", "tag", "createdAt")
  SELECT "jobs"."id", "jobs"."userId", "t"."value", "jobs"."createdAt" FROM "jobs", json_each("jobs"."tags") AS "t"
  WHERE "jobs"."tags" IS NOT NULL;
INSERT INTO "job_metadata" ("jobId", "userId", "key", "value", "createdAt")
  SELECT "jobs"."id", "jobs"."userId", "m"."key",
    CASE "m"."type" WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_quote("m"."value") END,
    "jobs"."createdAt"
  FROM "jobs", json_each("jobs"."metadata") AS "m"
  WHERE "jobs"."metadata" IS NOT NULL;
