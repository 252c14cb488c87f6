import { JOB_STATUSES, } from "@jobdeck/contract";
import { pendingOnly } from "../db/queries/job-filters.js";
import { countDelayedPending, countJobsByStatus, groupRunnablePending } from "../db/queries/job-stats.js";
import { explainWaits } from "./wait-reasons.js";
/** Groups explained per explainWaits call, to keep each call's statements small. */
const GROUP_BATCH = 1_000;
const totalOf = (byStatus) => Object.values(byStatus).reduce((sum, count) => sum + count, 0);
/** Counts of the caller's jobs by status, over the list's filters (docs/api.md §9). */
export async function getJobStats({ db, userId, query, }) {
    const byStatus = query.waitReason
        ? await countByWaitReason(db, userId, query, query.waitReason)
        : await countJobsByStatus(db, userId, query);
    return { total: totalOf(byStatus), byStatus };
}
/**
 * With a waitReason filter only pending jobs can match, and each is counted by its computed reason
 * (jobs/wait-reasons.ts). The count is exact and never partial: jobs whose runAt is ahead are
 * counted by their row (backoff, scheduled) in SQL, and the others are read grouped by what their
 * reason depends on (queue, type, concurrencyKey), so the reason is computed once per group, not per
 * job. FILTER_SCAN_LIMIT, which bounds the rows a list request evaluates one by one, does not apply.
 */
async function countByWaitReason(db, userId, query, waitReason) {
    const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0]));
    const filters = pendingOnly(query);
    if (!filters)
        return byStatus;
    const wanted = new Set(waitReason);
    const now = new Date();
    if (wanted.has("backoff") || wanted.has("scheduled")) {
        for (const { reason, count } of await countDelayedPending(db, userId, filters, now))
            if (wanted.has(reason))
                byStatus.pending += Number(count);
    }
    if ([...wanted].some((reason) => reason !== "backoff" && reason !== "scheduled")) {
        const groups = await groupRunnablePending(db, userId, filters, now);
        for (let start = 0; start < groups.length; start += GROUP_BATCH) {
            const batch = groups.slice(start, start + GROUP_BATCH);
            const rows = batch.map((group, i) => ({
                id: String(start + i),
                userId,
                type: group.type,
                status: "pending",
                attempts: 0,
                runAt: now.getTime(),
                queue: group.queue,
                concurrencyKey: group.concurrencyKey,
            }));
            const reasons = await explainWaits({ db, rows, now });
            batch.forEach((group, i) => {
                const reason = reasons.get(String(start + i));
                if (reason !== undefined && wanted.has(reason))
                    byStatus.pending += Number(group.count);
            });
        }
    }
    return byStatus;
}
//# sourceMappingURL=get-job-stats.js.map