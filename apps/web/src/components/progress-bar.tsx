import type { JobProgress } from "@jobdeck/contract";

/** "1,204 of 5,000 (24 %)", or the bare count when there is no total. */
export function describeProgress(progress: JobProgress): string {
  const count = (n: number) => n.toLocaleString("en-US");
  const amount =
    progress.total !== null && progress.total > 0
      ? `${count(progress.current)} of ${count(progress.total)} (${Math.floor(percentOf(progress))} %)`
      : count(progress.current);
  return progress.message ? `${amount} · ${progress.message}` : amount;
}

const percentOf = (progress: JobProgress) =>
  progress.total !== null && progress.total > 0
    ? Math.min(100, Math.max(0, (progress.current / progress.total) * 100))
    : 0;

/**
 * A job's progress (§14) as a bar: determinate with a total, a moving stripe without one. Live with
 * the job, which `job` events keep current in the cache.
 */
export function ProgressBar({
  progress,
  label,
  isCompact = false,
}: {
  progress: JobProgress | null;
  label: string;
  isCompact?: boolean;
}) {
  if (!progress) return null;
  const hasTotal = progress.total !== null && progress.total > 0;
  const text = describeProgress(progress);
  return (
    <div className={isCompact ? "progress compact" : "progress"} title={text}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        {...(hasTotal
          ? { "aria-valuemax": progress.total!, "aria-valuenow": Math.min(progress.current, progress.total!) }
          : {})}
        aria-valuetext={text}
        className={hasTotal ? "progress-track" : "progress-track indeterminate"}
      >
        <div className="progress-fill" style={hasTotal ? { width: `${percentOf(progress)}%` } : undefined} />
      </div>
      {!isCompact && <span className="progress-text">{text}</span>}
    </div>
  );
}
