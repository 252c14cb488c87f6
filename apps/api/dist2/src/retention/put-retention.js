import { saveRetention } from "../db/retention.js";
import { retentionOf } from "./get-retention.js";
/**
 * Sets the caller's retention (§15). The next sweep (within RETENTION_SWEEP_MS) applies it; jobs
 * already deleted by a shorter setting are gone for good.
 */
export async function putRetention({ db, userId, retention, }) {
    const row = await saveRetention(db, {
        userId,
        completedDays: retention.completed,
        failedDays: retention.failed,
        cancelledDays: retention.cancelled,
    }, new Date());
    return retentionOf(row);
}
//# sourceMappingURL=put-retention.js.map