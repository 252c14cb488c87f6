import type { Schedule } from "@jobdeck/contract";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem } from "../../lib/api-errors";
import { paths } from "../../lib/router";
import { CronCell, LastRun, PauseSwitch, RunTime } from "./schedule-parts";
import { useSchedules } from "./use-schedules";

/** The caller's schedules: when each fires, in words, its next and last run, and a pause switch. */
export function SchedulesPage() {
  const list = useSchedules();

  let body;
  if (list.isPending) {
    body = (
      <p role="status" className="muted">
        Loading schedules…
      </p>
    );
  } else if (list.isError && list.schedules.length === 0) {
    body = (
      <ProblemPanel
        title="The schedules could not be loaded"
        problem={toProblem(list.error)}
        onRetry={() => void list.refetch()}
      />
    );
  } else if (list.schedules.length === 0) {
    body = (
      <div className="panel empty">
        <h2>No schedules yet</h2>
        <p className="muted">
          A schedule creates a job of a type and payload on a cron calendar, in the time zone you choose.
        </p>
        <Link to={paths.newSchedule()} className="button primary">
          Create a schedule
        </Link>
      </div>
    );
  } else {
    body = (
      <>
        <div className="table-wrap">
          <table className="schedules-table" aria-label="Schedules">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">When</th>
                <th scope="col">Zone</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col">Pause</th>
              </tr>
            </thead>
            <tbody>
              {list.schedules.map((schedule) => (
                <ScheduleRow key={schedule.id} schedule={schedule} />
              ))}
            </tbody>
          </table>
        </div>
        <div className="list-summary">
          {list.isFetchNextPageError ? (
            <div role="alert" className="footer-error">
              Could not load more schedules: {toProblem(list.error).message}{" "}
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
              {list.isFetchingNextPage ? "Loading more schedules…" : "Show more schedules"}
            </button>
          ) : (
            <span className="muted">
              {list.schedules.length === 1
                ? "1 schedule"
                : `${list.schedules.length.toLocaleString()} schedules`}
            </span>
          )}
        </div>
      </>
    );
  }
  return (
    <div className="schedules-page">
      <div className="page-title-row">
        <h1>Schedules</h1>
        <Link to={paths.newSchedule()} className="button small primary">
          New schedule
        </Link>
      </div>
      {body}
    </div>
  );
}

function ScheduleRow({ schedule }: { schedule: Schedule }) {
  return (
    <tr className={schedule.isPaused ? "schedule-paused" : undefined}>
      <th scope="row">
        <Link to={paths.schedule(schedule.id)}>{schedule.name}</Link>
      </th>
      <td>
        <CronCell cron={schedule.cron} />
      </td>
      <td>{schedule.timezone}</td>
      <td>
        <RunTime iso={schedule.nextRunAt} empty={schedule.isPaused ? "paused" : "—"} />
      </td>
      <td>
        <LastRun schedule={schedule} />
      </td>
      <td>
        <PauseSwitch schedule={schedule} />
      </td>
    </tr>
  );
}
