import { findJob } from "../db/queries/jobs.js";
import { AppError, notFound } from "../errors.js";
import { parseJobId } from "./job-id.js";
import { toJob } from "./mapper.js";
/** How long the answer waits for a running job's worker to confirm; after that it says "requested". */
export const CANCEL_WAIT_MS = 3_000;
const RECHECK_MS = 100;
/** Resolves at the next "events" signal, or after `ms`, whichever is first. */
function nextChange(signals, ms) {
    return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        const off = signals.on("events", done);
        function done() {
            clearTimeout(timer);
            off();
            resolve();
        }
    });
}
async function waitWhileRunning(db, row, waitMs) {
    const deadline = Date.now() + waitMs;
    let current = row;
    while (current.status === "running" && Date.now() < deadline) {
        await nextChange(db.signals, Math.min(RECHECK_MS, deadline - Date.now()));
        current = (await findJob(db, { id: row.id, userId: row.userId })) ?? current;
    }
    return current;
}
/**
 * Pending: cancelled at once. Running: the cancellation is recorded and its worker, in this process
 * or another, fires the handler's AbortSignal and marks the job cancelled; the answer waits a
 * moment for that, so it normally shows `cancelled`. Ended: 409, nothing written.
 */
export async function cancelJob({ db, store, userId, jobId, waitMs = CANCEL_WAIT_MS, }) {
    const outcome = await store.requestCancel({ userId, jobId: parseJobId(jobId), now: new Date() });
    if (!outcome)
        throw notFound();
    if (outcome.kind === "ended") {
        throw new AppError("CONFLICT", `Job is already ${outcome.job.status}; only pending or running jobs can be cancelled`);
    }
    if (outcome.kind === "cancelled")
        return { job: toJob(outcome.job), message: "Job cancelled" };
    const row = await waitWhileRunning(db, outcome.job, waitMs);
    const message = row.status === "cancelled"
        ? "Job cancelled"
        : row.status === "running"
            ? "Cancellation requested; the job stops when its handler does"
            : `Job ${row.status} before it could be cancelled`;
    return { job: toJob(row), message };
}
//# sourceMappingURL=cancel-job.js.map