import type { Queue } from "@jobdeck/contract";
import { Fragment, useState } from "react";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem } from "../../lib/api-errors";
import { formatSpan, formatTimeFull } from "../../lib/format";
import { paths } from "../../lib/router";
import { DEFAULT_SORT, EMPTY_FILTERS, serializeListState } from "../jobs/list-state";
import { formatRate, runningText } from "./queue-limits";
import { NewQueueForm } from "./new-queue-form";
import { QueueLimitsForm } from "./queue-limits-form";
import { START_WINDOW_MS, useStartRates, type StartRate } from "./start-tracker";
import { useQueues, useSetPaused } from "./use-queues";

const COLUMN_COUNT = 8;

/**
 * The caller's queues: what runs against each limit, what waits and for how long, how fast jobs
 * start, a pause switch, and the limits, editable in place.
 */
export function QueuesPage() {
  const list = useQueues();
  const [editing, setEditing] = useState<string | undefined>();
  const [isAdding, setIsAdding] = useState(false);
  const rateOf = useStartRates();

  let body;
  if (list.isPending) {
    body = (
      <p role="status" className="muted">
        Loading queues…
      </p>
    );
  } else if (list.isError && list.queues.length === 0) {
    body = (
      <ProblemPanel
        title="The queues could not be loaded"
        problem={toProblem(list.error)}
        onRetry={() => void list.refetch()}
      />
    );
  } else if (list.queues.length === 0) {
    body = (
      <div className="panel empty">
        <h2>No queues yet</h2>
        <p className="muted">
          A queue appears here once a job was created in it (jobs without a queue go to <code>default</code>)
          or once it was configured through the API.
        </p>
        <Link to={paths.create()} className="button primary">
          Create a job
        </Link>
      </div>
    );
  } else {
    const now = Date.now();
    body = (
      <>
        <div className="table-wrap">
          <table className="queues-table" aria-label="Queues">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" title="Running jobs against the queue's concurrency limit">
                  Running
                </th>
                <th scope="col" title="Pending jobs, scheduled and backing-off ones included">
                  Pending
                </th>
                <th scope="col" title="How long the oldest pending job has existed">
                  Oldest wait
                </th>
                <th scope="col" title="Starts seen on the live updates during the last minute">
                  Starts / min
                </th>
                <th scope="col">Limits</th>
                <th scope="col">Pause</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.queues.map((queue) => (
                <Fragment key={queue.name}>
                  <QueueRow
                    queue={queue}
                    now={now}
                    rate={rateOf(queue.name)}
                    isEditing={editing === queue.name}
                    onEdit={() => setEditing(editing === queue.name ? undefined : queue.name)}
                  />
                  {editing === queue.name && (
                    <tr className="edit-row">
                      <td colSpan={COLUMN_COUNT}>
                        <QueueLimitsForm name={queue.name} onClose={() => setEditing(undefined)} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
        <div className="list-summary">
          {list.isFetchNextPageError ? (
            <div role="alert" className="footer-error">
              Could not load more queues: {toProblem(list.error).message}{" "}
              <button type="button" className="button small" onClick={() => void list.fetchNextPage()}>
                Try again
              </button>
            </div>
          ) : list.hasNextPage ? (
            <button
              type="button"
              className="button"
              disabled={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? "Loading more queues…" : "Show more queues"}
            </button>
          ) : (
            <span className="muted">
              {list.queues.length === 1 ? "1 queue" : `${list.queues.length.toLocaleString()} queues`}
            </span>
          )}
        </div>
      </>
    );
  }
  return (
    <div className="queues-page">
      <div className="page-title-row">
        <h1>Queues</h1>
        {!isAdding && list.isSuccess && (
          <button type="button" className="button small" onClick={() => setIsAdding(true)}>
            Configure a new queue
          </button>
        )}
      </div>
      {isAdding && (
        <div className="panel new-queue">
          <NewQueueForm
            knownNames={list.queues.map((queue) => queue.name)}
            onClose={() => setIsAdding(false)}
          />
        </div>
      )}
      {body}
    </div>
  );
}

type QueueRowProps = {
  queue: Queue;
  now: number;
  rate: StartRate | undefined;
  isEditing: boolean;
  onEdit: () => void;
};

function QueueRow({ queue, now, rate, isEditing, onEdit }: QueueRowProps) {
  const paused = useSetPaused();
  const oldest = queue.oldestPendingAt ? Date.parse(queue.oldestPendingAt) : undefined;
  const jobsOfQueue = paths.list(
    serializeListState({ filters: { ...EMPTY_FILTERS, queues: [queue.name] }, sort: DEFAULT_SORT }),
  );
  return (
    <tr className={queue.isPaused ? "queue-paused" : undefined}>
      <th scope="row">
        <Link to={jobsOfQueue} title={`Jobs of ${queue.name}`}>
          {queue.name}
        </Link>
      </th>
      <td className="num" title={queue.concurrency === null ? "No concurrency limit" : undefined}>
        {runningText(queue)}
        {queue.concurrency === null && <span className="muted"> · no limit</span>}
      </td>
      <td className="num">{queue.counts.pending.toLocaleString()}</td>
      <td className="num">
        {oldest === undefined ? (
          "—"
        ) : (
          <time
            dateTime={queue.oldestPendingAt ?? undefined}
            title={`Since ${formatTimeFull(queue.oldestPendingAt)}`}
          >
            {formatSpan(Math.max(0, now - oldest))}
          </time>
        )}
      </td>
      <td className="num">
        <StartsPerMinute rate={rate} />
      </td>
      <td>
        <LimitsSummary queue={queue} />
      </td>
      <td>
        <button
          type="button"
          role="switch"
          className="switch"
          aria-checked={queue.isPaused}
          aria-label={`Pause ${queue.name}`}
          title={
            queue.isPaused
              ? "Paused: no job of this queue starts. Click to resume."
              : "Click to pause: no job of this queue will start"
          }
          disabled={paused.isPending}
          onClick={() => {
            paused.reset();
            paused.setPaused(queue.name, !queue.isPaused);
          }}
        >
          <span aria-hidden="true" className="switch-track">
            <span className="switch-thumb" />
          </span>
          <span aria-hidden="true">{queue.isPaused ? "Paused" : "Active"}</span>
        </button>
        {paused.error && (
          <p role="alert" className="action-error">
            {toProblem(paused.error).message}
          </p>
        )}
      </td>
      <td>
        <button
          type="button"
          className="button small"
          aria-expanded={isEditing}
          aria-label={`Edit limits of ${queue.name}`}
          onClick={onEdit}
        >
          Edit limits
        </button>
      </td>
    </tr>
  );
}

function StartsPerMinute({ rate }: { rate: StartRate | undefined }) {
  if (!rate) {
    return <span title="Counted from live updates, which are not connected">—</span>;
  }
  if (rate.windowMs >= START_WINDOW_MS) return <>{rate.count.toLocaleString()}</>;
  return (
    <span title="Counted from live updates since this page opened">
      {rate.count.toLocaleString()}
      <span className="muted small"> in {formatSpan(rate.windowMs)}</span>
    </span>
  );
}

function LimitsSummary({ queue }: { queue: Queue }) {
  const parts = [
    queue.perKeyConcurrency !== null && `${queue.perKeyConcurrency} per key at once`,
    queue.rateLimit && `${formatRate(queue.rateLimit)}`,
    queue.perKeyRateLimit && `${formatRate(queue.perKeyRateLimit)} per key`,
  ].filter((part): part is string => typeof part === "string");
  if (queue.concurrency !== null) parts.unshift(`${queue.concurrency} at once`);
  return parts.length === 0 ? <span className="muted">none</span> : <>{parts.join(" · ")}</>;
}
