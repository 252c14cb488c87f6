import type { Job } from "@jobdeck/contract";
import { memo } from "react";
import { CopyButton } from "../../components/copy-button";
import { Link } from "../../components/link";
import { ProgressBar } from "../../components/progress-bar";
import { StatusBadge } from "../../components/status-badge";
import { RelativeTime } from "../../components/relative-time";
import { formatDuration, shortId } from "../../lib/format";
import { paths } from "../../lib/router";
import { WAIT_REASON_LABELS } from "./wait-reason-labels";

type JobRowProps = {
  job: Job;
  /** Its place in the whole list (0-based), which the table's click and key handlers read back. */
  index: number;
  /** The one row reached with Tab; the others are reached with the arrow keys. */
  isActive: boolean;
  /** The job just created, marked once. */
  isHighlighted: boolean;
  duration?: number;
  /** Ticked for a bulk operation on chosen rows; without `onToggleSelected` there is no checkbox. */
  isSelected?: boolean;
  onToggleSelected?: (jobId: string) => void;
};

/**
 * One job's row. Memoised: the list re-renders on every scroll event, and without this each
 * rendered row would too, although only the one or two rows scrolling into view are new.
 */
export const JobRow = memo(function JobRow({
  job,
  index,
  isActive,
  isHighlighted,
  duration,
  isSelected = false,
  onToggleSelected,
}: JobRowProps) {
  return (
    <div
      role="row"
      data-index={index}
      data-job-id={job.id}
      aria-rowindex={index + 2}
      tabIndex={isActive ? 0 : -1}
      className={isHighlighted ? "row row-new" : "row"}
    >
      <div role="cell" className="cell col-id cell-id">
        {onToggleSelected && (
          <input
            type="checkbox"
            className="row-select"
            // The row is reached with the arrow keys and x ticks it: one tab stop for the table.
            tabIndex={-1}
            aria-label={`Select job ${job.id}`}
            checked={isSelected}
            onChange={() => onToggleSelected(job.id)}
          />
        )}
        <Link
          to={paths.job(job.id)}
          tabIndex={-1}
          className="mono"
          title={job.id}
          aria-label={`Job ${job.id}`}
        >
          {shortId(job.id)}
        </Link>
        <CopyButton text={job.id} what="job id" tabIndex={-1} className="icon-button copy-id" isIconInCss />
      </div>
      <div role="cell" className="cell col-type truncate" title={job.type}>
        {job.type}
      </div>
      <div
        role="cell"
        className="cell col-status"
        title={job.waitReason ? `Waiting: ${WAIT_REASON_LABELS[job.waitReason]}` : undefined}
      >
        <StatusBadge status={job.status} />
        {job.status === "running" && (
          <ProgressBar progress={job.progress} label={`Progress of job ${shortId(job.id)}`} isCompact />
        )}
      </div>
      <div role="cell" className="cell col-queue truncate" title={job.queue}>
        {job.queue}
      </div>
      <div role="cell" className="cell col-priority num">
        {job.priority}
      </div>
      <div role="cell" className="cell col-result muted">
        {job.resultType}
      </div>
      <div role="cell" className="cell col-time">
        <RelativeTime iso={job.createdAt} />
      </div>
      <div role="cell" className="cell col-time">
        <RelativeTime iso={job.runAt} />
      </div>
      <div role="cell" className="cell col-time">
        <RelativeTime iso={job.updatedAt} />
      </div>
      <div role="cell" className="cell col-duration num">
        {duration === undefined ? "—" : formatDuration(duration)}
      </div>
      <div role="cell" className="cell col-attempts num">
        {job.attempts}/{job.maxAttempts}
      </div>
    </div>
  );
});
