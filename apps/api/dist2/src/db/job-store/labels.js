/**
 * §15: a job's tags and metadata as rows of job_tags and job_metadata (see models.prisma), written
 * in the transaction that writes the job's own columns. A job without either costs no statement,
 * so a plain create stays one insert; a batch writes all its jobs' rows in one statement per table.
 */
const tagRows = (rows) => rows.flatMap((row) => row.tags === null
    ? []
    : JSON.parse(row.tags).map((tag) => ({
        jobId: row.id,
        userId: row.userId,
        tag,
        createdAt: row.createdAt,
    })));
/** A metadata value as job_metadata keeps it: its JSON text, as a filter value is compared (`"x"`, `3`, `true`). */
const metadataRows = (rows) => rows.flatMap((row) => row.metadata === null
    ? []
    : Object.entries(JSON.parse(row.metadata)).map(([key, value]) => ({
        jobId: row.id,
        userId: row.userId,
        key,
        value: JSON.stringify(value),
        createdAt: row.createdAt,
    })));
export function labelStatements(sql) {
    const insertTags = `INSERT INTO "job_tags" ("jobId", "userId", "tag", "createdAt")
    SELECT l."jobId", l."userId", l."tag", l."createdAt"
    FROM ${sql.jsonRows("labels", { jobId: "text", userId: "text", tag: "text", createdAt: "timestamp" })} AS l
    WHERE TRUE`;
    const insertMetadata = `INSERT INTO "job_metadata" ("jobId", "userId", "key", "value", "createdAt")
    SELECT l."jobId", l."userId", l."key", l."value", l."createdAt"
    FROM ${sql.jsonRows("labels", { jobId: "text", userId: "text", key: "text", value: "text", createdAt: "timestamp" })} AS l
    WHERE TRUE`;
    const deleteTags = `DELETE FROM "job_tags" WHERE "jobId" = @jobId`;
    const deleteMetadata = `DELETE FROM "job_metadata" WHERE "jobId" = @jobId`;
    /** The label rows of jobs just inserted. */
    const insertLabels = async (tx, rows) => {
        const tags = tagRows(rows);
        if (tags.length > 0)
            tx.defer(insertTags, { labels: JSON.stringify(tags) });
        const metadata = metadataRows(rows);
        if (metadata.length > 0)
            tx.defer(insertMetadata, { labels: JSON.stringify(metadata) });
        return Promise.resolve();
    };
    return {
        insertLabels,
        /** A pending job whose tags and metadata a dedupe replace rewrote (§11). */
        replaceLabels: async (tx, before, after) => {
            if (before.tags !== null)
                tx.defer(deleteTags, { jobId: before.id });
            if (before.metadata !== null)
                tx.defer(deleteMetadata, { jobId: before.id });
            await insertLabels(tx, [after]);
        },
    };
}
//# sourceMappingURL=labels.js.map