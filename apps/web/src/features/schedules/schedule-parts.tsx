/** Pieces the schedules list and a schedule's page both show. */
import type { Schedule } from "@jobdeck/contract";
import { Link } from "../../components/link";
import { RelativeTime } from "../../components/relative-time";
import { toProblem } from "../../lib/api-errors";
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

/** A time of the server's (nextRunAt, lastRunAt): how far away it is, then the clock time in the reader's zone. */
export function RunTime({ iso, empty }: { iso: string | null; empty: string }) {
  return <RelativeTime iso={iso} empty={empty} exact="short" />;
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
