import type { Database } from "../index.js";
import type { BulkOperationRow } from "../rows.js";

type Read = Pick<Database, "read">;

/** One of a user's bulk operations; undefined for another user's or a missing one. */
export async function findBulkOperation(
  db: Read,
  userId: string,
  id: string,
): Promise<BulkOperationRow | undefined> {
  const [row] = await db.read.all<BulkOperationRow>(
    `SELECT * FROM "bulk_operations" WHERE "id" = @id AND "userId" = @userId`,
    { id, userId },
  );
  return row;
}

/** Up to `limit` of a user's bulk operations, newest first, after a keyset position (createdAt, id). */
export function selectBulkOperationPage(
  db: Read,
  {
    userId,
    after,
    limit,
  }: { userId: string; after: { createdAt: number; id: string } | undefined; limit: number },
): Promise<BulkOperationRow[]> {
  return db.read.all<BulkOperationRow>(
    `SELECT * FROM "bulk_operations" WHERE "userId" = @userId${
      after === undefined ? "" : ` AND ("createdAt", "id") < (@afterCreatedAt, @afterId)`
    }
      ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`,
    {
      userId,
      limit,
      ...(after ? { afterCreatedAt: new Date(after.createdAt), afterId: after.id } : {}),
    },
  );
}

/**
 * How many of the jobs `conditions` select (on "jobs", parameters in `params`) were created at or
 * before `now`: what a bulk operation accepted now would match (its dry run).
 */
export async function countMatchingJobs(
  db: Read,
  conditions: string[],
  params: Record<string, unknown>,
  now: Date,
): Promise<number> {
  const [row] = await db.read.all<{ count: number }>(
    `SELECT COUNT(*) AS "count" FROM "jobs" WHERE ${conditions.join(" AND ")} AND "createdAt" <= @acceptedAt`,
    { ...params, acceptedAt: now },
  );
  return Number(row?.count ?? 0);
}
