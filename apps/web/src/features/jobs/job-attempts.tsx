import type { Job, JobAttempt } from "@jobdeck/contract";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { toProblem } from "../../lib/api-errors";
import { formatDuration } from "../../lib/format";
import { useJobAttempts } from "./use-job-log";

const OUTCOME_LABELS: Record<JobAttempt["outcome"], string> = {
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  timed_out: "Timed out",
  cancelled: "Cancelled",
  lease_expired: "Lease expired",
  handed_back: "Handed back",
};

/** Every attempt of the job as a timeline (§14): start, end, worker, outcome and error. */
export function JobAttempts({ job }: { job: Job }) {
  // Read again when an attempt starts or ends: both change the job.
  const hasStarted = job.startedAt !== null;
  const attempts = useJobAttempts(job.id, `${job.attempts}:${job.status}:${job.startedAt}`, { hasStarted });
  if (!hasStarted) return <p className="muted">No attempt yet.</p>;
  if (attempts.isPending)
    return (
      <p role="status" className="muted">
        Loading attempts…
      </p>
    );
  if (attempts.isError && !attempts.data)
    return (
      <ProblemPanel
        title="The attempts could not be loaded"
        problem={toProblem(attempts.error)}
        onRetry={() => void attempts.refetch()}
      />
    );
  if (attempts.data.length === 0) return <p className="muted">No attempt yet.</p>;
  return (
    <ol className="timeline attempts" aria-label="Attempts">
      {attempts.data.map((attempt, index) => (
        <li
          key={`${attempt.attempt}-${attempt.startedAt}`}
          className={`attempt outcome-${attempt.outcome} ${attempt.outcome === "running" ? "todo" : "done"}`}
          aria-label={`Attempt ${attempt.attempt}: ${OUTCOME_LABELS[attempt.outcome]}`}
        >
          <span className="timeline-label">
            Attempt {attempt.attempt}
            {index > 0 && attempts.data[index - 1]!.attempt === attempt.attempt && " (again)"}
          </span>{" "}
          <span className={`attempt-outcome outcome-${attempt.outcome}`}>
            {OUTCOME_LABELS[attempt.outcome]}
          </span>
          <div className="attempt-times">
            started <RelativeTime iso={attempt.startedAt} exact="full" />
            {attempt.finishedAt ? (
              <>
                , ended <RelativeTime iso={attempt.finishedAt} exact="full" />
                <span className="muted">
                  {" "}
                  · ran {formatDuration(Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt))}
                </span>
              </>
            ) : (
              <span className="muted"> · running…</span>
            )}
          </div>
          <div className="attempt-worker muted">
            on worker <code>{attempt.workerId}</code>
          </div>
          {attempt.error && (
            <p className="attempt-error">
              <code>{attempt.error.code}</code> {attempt.error.message}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
