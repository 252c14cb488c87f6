import { useEffect, useMemo } from "react";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { StatusBadge } from "../../components/status-badge";
import { tsr } from "../../lib/api-client";
import { toProblem } from "../../lib/api-errors";
import { shortId } from "../../lib/format";
import { queryKeys, type JobListQuery } from "../../lib/query-keys";
import { paths } from "../../lib/router";
import { clearArrivals, useArrivals } from "../jobs/job-cache";
import { listOf } from "../jobs/list-state";
import { useLiveStatus } from "../jobs/live-status";
import { useJobs } from "../jobs/use-jobs";

/** Rows shown; the whole history is one link away, in the jobs list filtered by the schedule. */
const SHOWN = 10;
/** Without live updates, the first page is read again this often. */
const POLL_MS = 3000;

/**
 * The schedule's latest jobs: the jobs list's query filtered by scheduleId, so that live updates
 * change their rows in place; a job the schedule makes reloads the first page (it is news here,
 * not something to keep off the reader's screen as in the full list).
 */
export function ScheduleJobs({ scheduleId }: { scheduleId: string }) {
  const query = useMemo<JobListQuery>(
    () => ({ scheduleId, sortBy: "createdAt", sortOrder: "desc" }),
    [scheduleId],
  );
  const list = useJobs(query);
  const arrivals = useArrivals(query);
  const queryClient = tsr.useQueryClient();
  const isLive = useLiveStatus() === "live";
  const { refetch } = list;

  useEffect(() => {
    if (arrivals.size === 0) return;
    clearArrivals(query);
    void queryClient.refetchQueries({ queryKey: queryKeys.listJobs.query(query), exact: true });
  }, [arrivals, query, queryClient]);
  useEffect(() => {
    if (isLive) return;
    const timer = setInterval(() => void refetch(), POLL_MS);
    return () => clearInterval(timer);
  }, [isLive, refetch]);

  const allJobs = paths.list(listOf({ scheduleIds: [scheduleId] }));
  let body;
  if (list.isPending) {
    body = (
      <p role="status" className="muted">
        Loading its jobs…
      </p>
    );
  } else if (list.isError && list.jobs.length === 0) {
    body = (
      <ProblemPanel
        title="Its jobs could not be loaded"
        problem={toProblem(list.error)}
        onRetry={() => void list.refetch()}
      />
    );
  } else if (list.jobs.length === 0) {
    body = <p className="muted">No jobs yet: the first appears at its next run, or with “Trigger now”.</p>;
  } else {
    body = (
      <table className="compact-jobs" aria-label="Recent jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Run at</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {list.jobs.slice(0, SHOWN).map((job) => (
            <tr key={job.id}>
              <th scope="row">
                <Link to={paths.job(job.id)} aria-label={`Job ${job.id}`} className="mono">
                  {shortId(job.id)}
                </Link>
              </th>
              <td>
                <StatusBadge status={job.status} />
              </td>
              <td>
                <RelativeTime iso={job.runAt} />
              </td>
              <td>
                <RelativeTime iso={job.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <section aria-labelledby="schedule-jobs-heading" className="detail-section">
      <div className="section-title-row">
        <h2 id="schedule-jobs-heading">Recent jobs</h2>
        <Link to={allJobs}>All its jobs in the list</Link>
      </div>
      {body}
    </section>
  );
}
