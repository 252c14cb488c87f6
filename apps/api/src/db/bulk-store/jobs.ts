import type { SqlFragments, Tx } from "../index.js";
import { ownJobsByIds } from "../job-store/statements.js";
import type { JobRow } from "../rows.js";

/**
 * Which of `ids` are the user's jobs that have ended, read inside a chunk's transaction (locked to
 * its end on PostgreSQL, so that a retention sweep cannot delete one while it is retried).
 */
export async function selectOwnEndedJobsIn(
  tx: Tx,
  sql: SqlFragments,
  { userId, ids }: { userId: string; ids: readonly string[] },
): Promise<JobRow[]> {
  const rows = await tx.all(
    `SELECT * FROM "jobs" WHERE ${ownJobsByIds(sql, `"status" IN ('completed', 'failed', 'cancelled')`)}
      ${sql.forUpdate}`,
    { ids: [...ids], userId },
  );
  return rows as JobRow[];
}
