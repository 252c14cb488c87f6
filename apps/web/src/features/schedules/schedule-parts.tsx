/** Pieces the schedules list and a schedule's page both show. */
import type { Schedule } from "@jobdeck/contract";
import { Link } from "../../components/link";
import { toProblem } from "../../lib/api-errors";
import { formatAgo, formatTime, formatTimeFull } from "../../lib/format";
import { paths } from "../../lib/router";
import { describeCron } from "./cron-preview";
import { useSetSchedulePaused } from "./use-schedules";

/** A pause switch: on = paused (no job is made until resumed). */
export function PauseSwitch({ schedule }: { schedule: Schedule }) {
  const paused = useSetSchedulePaused();
  return (
    <>
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={schedule.isPaused}
        aria-label={`Pause ${schedule.name}`}
        title={
          schedule.isPaused
            ? "Paused: it makes no job. Click to resume (missed times are not caught up)."
            : "Click to pause: it will make no job until resumed"
        }
        disabled={paused.isPending}
        onClick={() => {
          paused.reset();
          paused.setPaused(schedule.id, !schedule.isPaused);
        }}
      >
        <span aria-hidden="true" className="switch-track">
          <span className="switch-thumb" />
        </span>
        <span aria-hidden="true">{schedule.isPaused ? "Paused" : "Active"}</span>
      </button>
      {paused.error && (
        <p role="alert" className="action-error">
          {toProblem(paused.error).message}
        </p>
      )}
    </>
  );
}

/** "0 3 * * *" and, below it, "At 03:00". */
export function CronCell({ cron }: { cron: string }) {
  return (
    <>
      <code>{cron}</code>
      <br />
      <span className="muted small">{describeCron(cron)}</span>
    </>
  );
}

/** A time of the server's (nextRunAt, lastRunAt) in the reader's zone, with how far away it is. */
export function RunTime({ iso, empty }: { iso: string | null; empty: string }) {
  if (!iso) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={iso} title={formatTimeFull(iso)}>
      {formatTime(iso)}
      <span className="muted small"> · {formatAgo(Date.parse(iso))}</span>
    </time>
  );
}

/** The last run, linked to the job it made. */
export function LastRun({ schedule }: { schedule: Schedule }) {
  if (!schedule.lastRunAt && !schedule.lastJobId) return <span className="muted">never</span>;
  const time = <RunTime iso={schedule.lastRunAt} empty="—" />;
  return schedule.lastJobId ? (
    <Link to={paths.job(schedule.lastJobId)} title={`The last job of ${schedule.name}`}>
      {time}
    </Link>
  ) : (
    time
  );
}
