import { rowWaitReason, toJob } from "./mapper.js";
import { explainWaits } from "./wait-reasons.js";
/**
 * How to show a job a create is about to write. Its answer is stored inside the create's
 * transaction when an Idempotency-Key asks for it, and a replay must match it, so the reason a
 * pending job would wait for is read once beforehand, for `prospect` (its queue, key and type);
 * a row's own reasons (backoff, scheduled) still come from the row.
 */
export async function presenterFor({ db, prospect, }) {
    const now = new Date();
    const row = { ...prospect, status: "pending", attempts: 0, runAt: now.getTime() };
    const reason = (await explainWaits({ db, rows: [row], now })).get(prospect.id);
    return (stored) => {
        const own = rowWaitReason(stored, Date.now());
        return toJob(stored, own === "queued" ? (reason ?? own) : own);
    };
}
/**
 * presenterFor for the many jobs one request creates (a batch, §12): their reasons are read in one
 * go (explainWaits reads a fixed number of statements per user, whatever the number of jobs), and
 * the presenter shows each stored row with its own.
 */
export async function presenterForMany({ db, prospects, }) {
    const now = new Date();
    const rows = prospects.map((prospect) => ({
        ...prospect,
        status: "pending",
        attempts: 0,
        runAt: now.getTime(),
    }));
    const reasons = await explainWaits({ db, rows, now });
    return (stored) => {
        const own = rowWaitReason(stored, Date.now());
        return toJob(stored, own === "queued" ? (reasons.get(stored.id) ?? own) : own);
    };
}
//# sourceMappingURL=present-created.js.map