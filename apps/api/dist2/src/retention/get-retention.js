import { DEFAULT_RETENTION } from "@jobdeck/contract";
import { findRetention } from "../db/retention.js";
export const retentionOf = (row) => row
    ? { completed: row.completedDays, failed: row.failedDays, cancelled: row.cancelledDays }
    : DEFAULT_RETENTION;
/** The caller's retention (§15); all null (keep forever) until they set one. */
export async function getRetention({ db, userId, }) {
    return retentionOf(await findRetention(db, userId));
}
//# sourceMappingURL=get-retention.js.map