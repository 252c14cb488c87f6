import { selectJobAttempts } from "../db/queries/attempts.js";
import { findJob } from "../db/queries/jobs.js";
import { notFound } from "../errors.js";
import { parseJobId } from "../jobs/job-id.js";
import { toAttempt } from "./mapper.js";
/** Every attempt of one of the caller's jobs, oldest first; any other id is §7's 404. */
export async function listJobAttempts({ db, userId, jobId, }) {
    const id = parseJobId(jobId);
    if (!(await findJob(db, { id, userId })))
        throw notFound();
    return (await selectJobAttempts(db, id)).map(toAttempt);
}
//# sourceMappingURL=list-job-attempts.js.map