import { isEnded, type Job } from "@jobdeck/contract";
import { useEffect, useState, type ReactNode } from "react";
import { CopyButton } from "../../components/copy-button";
import { JsonTree } from "../../components/json-tree";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { ProgressBar } from "../../components/progress-bar";
import { RelativeTime } from "../../components/relative-time";
import { StatusBadge } from "../../components/status-badge";
import { isNotFound, toProblem } from "../../lib/api-errors";
import { formatDuration, jobDuration, shortId } from "../../lib/format";
import { navigate, paths } from "../../lib/router";
import { useHotkeys } from "../../lib/use-hotkeys";
import { JobAttempts } from "./job-attempts";
import { JobLog } from "./job-log";
import { JobResult } from "./job-result";
import { JobWait } from "./job-wait";
import { lastListPath } from "./list-memory";
import { DEFAULT_SORT, EMPTY_FILTERS, listOf, serializeListState } from "./list-state";
import { useCancelJob, useRetryJob } from "./use-job-actions";
import { useJob } from "./use-job";

export function JobDetailPage({ jobId }: { jobId: string }) {
  const job = useJob(jobId);
  useHotkeys({ Escape: () => navigate(lastListPath()) });

  return (
    <article className="job-detail" aria-busy={job.isFetching}>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={lastListPath()}>← Jobs</Link>
      </nav>
      {job.isPending ? (
        <p role="status" className="muted">
          Loading job…
        </p>
      ) : job.isError && !job.data ? (
        isNotFound(job.error) ? (
          <div className="panel empty">
            <h1>Job not found</h1>
            <p>
              No job <code>{jobId}</code> belongs to you. It may be another user&apos;s, or the id may be
              mistyped.
            </p>
            <Link to={lastListPath()} className="button">
              Back to jobs
            </Link>
          </div>
        ) : (
          <ProblemPanel
            title="The job could not be loaded"
            problem={toProblem(job.error)}
            onRetry={() => void job.refetch()}
          />
        )
      ) : (
        <JobView job={job.data} />
      )}
    </article>
  );
}

function JobView({ job }: { job: Job }) {
  const duration = jobDuration(job);
  useEffect(() => {
    document.title = `${job.type} ${shortId(job.id)} (${job.status}) · jobdeck`;
  }, [job.type, job.id, job.status]);
  return (
    <>
      <header className="detail-header">
        <div className="detail-title">
          <h1>{job.type}</h1>
          <StatusBadge status={job.status} />
        </div>
        <div className="id-line">
          <code>{job.id}</code>
          <CopyButton text={job.id} what="job id" />
          <CopyButton
            text={window.location.origin + paths.job(job.id)}
            what="link to this job"
            className="button small"
          >
            Copy link
          </CopyButton>
        </div>
        <JobActions job={job} />
      </header>

      <JobWait job={job} />

      {job.progress && (
        <section aria-labelledby="progress-heading" className="detail-section">
          <h2 id="progress-heading">Progress</h2>
          <ProgressBar progress={job.progress} label="Job progress" />
        </section>
      )}

      <section aria-labelledby="overview-heading" className="detail-section">
        <h2 id="overview-heading">Overview</h2>
        <dl className="fields">
          <Field name="Status">
            <StatusBadge status={job.status} />
          </Field>
          <Field name="Type">{job.type}</Field>
          <Field name="Result type">{job.resultType}</Field>
          <Field name="Queue">
            <Link
              to={paths.list(
                serializeListState({
                  filters: { ...EMPTY_FILTERS, queues: [job.queue] },
                  sort: DEFAULT_SORT,
                }),
              )}
              title={`Jobs of queue ${job.queue}`}
            >
              {job.queue}
            </Link>
          </Field>
          <Field name="Priority">{job.priority}</Field>
          <Field name="Run at">
            <RelativeTime iso={job.runAt} exact="full" />
          </Field>
          <Field name="Concurrency key">{job.concurrencyKey ?? <span className="muted">none</span>}</Field>
          <Field name="Dedupe key">{job.dedupeKey ?? <span className="muted">none</span>}</Field>
          <Field name="Schedule">
            {job.scheduleId ? (
              <>
                <Link to={paths.schedule(job.scheduleId)} title="The schedule that made this job">
                  {shortId(job.scheduleId)}
                </Link>{" "}
                <Link
                  to={paths.list(listOf({ scheduleIds: [job.scheduleId] }))}
                  className="small"
                  aria-label="Jobs of this schedule"
                >
                  its jobs
                </Link>
              </>
            ) : (
              <span className="muted">none</span>
            )}
          </Field>
          <Field name="Batch">
            {job.batchId ? (
              <Link
                to={paths.list(listOf({ batchIds: [job.batchId] }))}
                title="The jobs created in the same batch"
                aria-label="Jobs of this batch"
              >
                <code>{job.batchId}</code>
              </Link>
            ) : (
              <span className="muted">none</span>
            )}
          </Field>
          <Field name="Attempts">
            {job.attempts} of {job.maxAttempts}
          </Field>
          <Field name="Duration">{duration === undefined ? "—" : formatDuration(duration)}</Field>
          <Field name="Created">
            <RelativeTime iso={job.createdAt} exact="full" />
          </Field>
          <Field name="Updated">
            <RelativeTime iso={job.updatedAt} exact="full" />
          </Field>
          <Field name="Started">
            <RelativeTime iso={job.startedAt} exact="full" />
          </Field>
          <Field name="Finished">
            <RelativeTime iso={job.finishedAt} exact="full" />
          </Field>
        </dl>
      </section>

      <section aria-labelledby="timeline-heading" className="detail-section">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline job={job} />
      </section>

      <section aria-labelledby="attempts-heading" className="detail-section">
        <h2 id="attempts-heading">Attempts</h2>
        <JobAttempts job={job} />
      </section>

      <section aria-labelledby="log-heading" className="detail-section">
        <h2 id="log-heading">Log</h2>
        <JobLog jobId={job.id} hasStarted={job.startedAt !== null} />
      </section>

      <section aria-labelledby="payload-heading" className="detail-section">
        <h2 id="payload-heading">Payload</h2>
        <Payload payload={job.payload} />
      </section>

      <section aria-labelledby="result-heading" className="detail-section">
        <h2 id="result-heading">{job.status === "failed" ? "Error" : "Result"}</h2>
        <JobResult job={job} />
      </section>
    </>
  );
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Timeline({ job }: { job: Job }) {
  const created = Date.parse(job.createdAt);
  const started = job.startedAt ? Date.parse(job.startedAt) : undefined;
  const finished = job.finishedAt ? Date.parse(job.finishedAt) : undefined;
  const ending = job.status === "failed" ? "Failed" : job.status === "cancelled" ? "Cancelled" : "Finished";
  return (
    <ol className="timeline">
      <li className="done">
        <span className="timeline-label">Created</span>
        <RelativeTime iso={job.createdAt} exact="full" />
      </li>
      <li className={started ? "done" : "todo"}>
        <span className="timeline-label">Started</span>
        {started ? (
          <>
            <RelativeTime iso={job.startedAt} exact="full" />
            <span className="muted"> · waited {formatDuration(started - created)}</span>
          </>
        ) : (
          <span className="muted">{job.status === "pending" ? "waiting for a worker" : "never started"}</span>
        )}
      </li>
      <li className={finished ? "done" : "todo"}>
        <span className="timeline-label">{finished ? ending : "Finished"}</span>
        {finished ? (
          <>
            <RelativeTime iso={job.finishedAt} exact="full" />
            {started && <span className="muted"> · ran {formatDuration(finished - started)}</span>}
          </>
        ) : (
          <span className="muted">{job.status === "running" ? "running…" : "not yet"}</span>
        )}
      </li>
    </ol>
  );
}

function Payload({ payload }: { payload: unknown }) {
  const [isRaw, setIsRaw] = useState(false);
  const [depth, setDepth] = useState(2);
  const text = JSON.stringify(payload, null, 2);
  return (
    <>
      <div className="section-tools">
        <button
          type="button"
          className="button small"
          aria-pressed={isRaw}
          onClick={() => setIsRaw((v) => !v)}
        >
          {isRaw ? "Show tree" : "Show raw JSON"}
        </button>
        {!isRaw && (
          <>
            <button type="button" className="button small" onClick={() => setDepth(Infinity)}>
              Expand all
            </button>
            <button type="button" className="button small" onClick={() => setDepth(0)}>
              Collapse all
            </button>
          </>
        )}
        <CopyButton text={text} what="payload JSON" className="button small">
          Copy JSON
        </CopyButton>
      </div>
      {isRaw ? (
        <pre className="code-block">{text}</pre>
      ) : (
        <JsonTree key={depth} value={payload} openDepth={depth} />
      )}
    </>
  );
}

function JobActions({ job }: { job: Job }) {
  const cancel = useCancelJob();
  const retry = useRetryJob();
  const canCancel = !isEnded(job.status);
  // A refusal (409: the job ended, or has not yet) carries the API's reason; a lost network says so.
  const failure = cancel.error ?? retry.error;
  return (
    <div className="actions">
      {canCancel ? (
        <button
          type="button"
          className="button danger"
          disabled={cancel.isPending}
          onClick={() => {
            retry.reset();
            cancel.cancel(job.id);
          }}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel job"}
        </button>
      ) : (
        <button
          type="button"
          className="button"
          disabled={retry.isPending}
          onClick={() => {
            cancel.reset();
            retry.retry(job.id);
          }}
        >
          {retry.isPending ? "Retrying…" : "Retry as new job"}
        </button>
      )}
      <Link className="button" to={paths.create(job.type, job.id)}>
        Edit &amp; run again
      </Link>
      {failure && (
        <p className="action-error" role="alert">
          {toProblem(failure).message}
        </p>
      )}
    </div>
  );
}
