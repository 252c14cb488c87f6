import { findJob } from "../db/queries/jobs.js";
import { notFound } from "../errors.js";
import { parseJobId } from "./job-id.js";
import { toJob } from "./mapper.js";
import { explainWaits } from "./wait-reasons.js";
/**
 * A malformed id, a missing job and another user's job all give the same 404 (docs/api.md §7). A
 * pending job says why it waits (§11), computed now.
 */
export async function getJob({ db, userId, jobId, }) {
    const row = await findJob(db, { id: parseJobId(jobId), userId });
    if (!row)
        throw notFound();
    const reasons = await explainWaits({ db, rows: [row] });
    return toJob(row, reasons.get(row.id) ?? null);
}
//# sourceMappingURL=get-job.js.map