import { DEFAULT_RETENTION, type Retention } from "@jobdeck/contract";
import type { Database } from "../db/index.js";
import { findRetention, type RetentionRow } from "../db/retention.js";

export const retentionOf = (row: RetentionRow | undefined): Retention =>
  row
    ? { completed: row.completedDays, failed: row.failedDays, cancelled: row.cancelledDays }
    : DEFAULT_RETENTION;

/** The caller's retention (§15); all null (keep forever) until they set one. */
export async function getRetention({
  db,
  userId,
}: {
  db: Pick<Database, "read">;
  userId: string;
}): Promise<Retention> {
  return retentionOf(await findRetention(db, userId));
}
