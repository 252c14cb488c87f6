import { findArtifact, findJob } from "../db/queries/jobs.js";
import { AppError, notFound } from "../errors.js";
import { parseJobId } from "./job-id.js";
/** The binary result of one of the caller's jobs; another user's job is the same 404 as none. */
export async function getJobArtifact({ db, userId, jobId, }) {
    const id = parseJobId(jobId);
    if (!(await findJob(db, { id, userId })))
        throw notFound();
    const artifact = await findArtifact(db, id);
    if (!artifact)
        throw new AppError("NOT_FOUND", "This job has no artifact");
    return artifact;
}
//# sourceMappingURL=get-job-artifact.js.map