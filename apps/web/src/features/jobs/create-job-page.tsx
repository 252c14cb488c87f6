import { isEnded } from "@jobdeck/contract";
import { useEffect } from "react";
import { preloadJsonEditor } from "../../components/json-editor";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem } from "../../lib/api-errors";
import { useLocation } from "../../lib/router";
import { useQueues } from "../queues/use-queues";
import { CreateJobForm } from "./create-job-form";
import { optionsFrom } from "./job-options";
import { lastListPath } from "./list-memory";
import { useJob } from "./use-job";
import { useJobTypes } from "./use-job-types";

/**
 * /jobs/new?type=<type>[&from=<job id>]: "from" starts from that job's type and payload; when that
 * job has ended, the form retries it with the changes (§15) instead of creating an unrelated job.
 */
export function CreateJobPage() {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const fromId = params.get("from") ?? undefined;
  const jobTypes = useJobTypes();
  const queues = useQueues();
  const source = useJob(fromId ?? "", { isEnabled: fromId !== undefined });
  // The payload editor downloads while the job types load, not after.
  useEffect(preloadJsonEditor, []);

  let body;
  if (jobTypes.isPending || (fromId && source.isPending)) {
    body = (
      <p role="status" className="muted">
        Loading job types…
      </p>
    );
  } else if (jobTypes.isError) {
    body = (
      <ProblemPanel
        title="Job types could not be loaded"
        problem={toProblem(jobTypes.error)}
        onRetry={() => void jobTypes.refetch()}
      />
    );
  } else if (jobTypes.data.length === 0) {
    body = <p>This server has no job types registered.</p>;
  } else {
    const sourceJob = source.data;
    const retryOf = sourceJob && isEnded(sourceJob.status) ? sourceJob : undefined;
    const requested = sourceJob?.type ?? params.get("type");
    const initialType = jobTypes.data.find((t) => t.type === requested)?.type ?? jobTypes.data[0]?.type ?? "";
    body = (
      <CreateJobForm
        key={`${initialType}:${sourceJob?.id ?? ""}`}
        // A retry runs the original's type: the only one offered.
        jobTypes={retryOf ? jobTypes.data.filter((t) => t.type === retryOf.type) : jobTypes.data}
        initialType={initialType}
        initialPayload={sourceJob ? JSON.stringify(sourceJob.payload, null, 2) : undefined}
        initialOptions={optionsFrom(sourceJob)}
        queueNames={queues.queues.map((queue) => queue.name)}
        retryOf={retryOf}
      />
    );
  }
  return (
    <div className="create-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={lastListPath()}>← Jobs</Link>
      </nav>
      <h1>{fromId && source.data && isEnded(source.data.status) ? "Run again with changes" : "New job"}</h1>
      {body}
    </div>
  );
}
