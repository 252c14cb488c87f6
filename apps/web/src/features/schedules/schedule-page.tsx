import type { Schedule } from "@jobdeck/contract";
import { useEffect, useState, type ReactNode } from "react";
import { CopyButton } from "../../components/copy-button";
import { JsonTree } from "../../components/json-tree";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { isNotFound, toProblem } from "../../lib/api-errors";
import { notify } from "../../lib/notices";
import { navigate, paths } from "../../lib/router";
import { listOf } from "../jobs/list-state";
import { CronExplanation } from "./cron-explanation";
import { viewerTimeZone } from "./cron-preview";
import { ScheduleForm } from "./schedule-form";
import { ScheduleJobs } from "./schedule-jobs";
import { LastRun, PauseSwitch, RunTime } from "./schedule-parts";
import { useDeleteSchedule, usePutSchedule, useSchedule, useTriggerSchedule } from "./use-schedules";

export function SchedulePage({ scheduleId }: { scheduleId: string }) {
  const schedule = useSchedule(scheduleId);
  return (
    <article className="schedule-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={paths.schedules()}>← Schedules</Link>
      </nav>
      {schedule.isPending ? (
        <p role="status" className="muted">
          Loading schedule…
        </p>
      ) : schedule.isError && !schedule.data ? (
        isNotFound(schedule.error) ? (
          <div className="panel empty">
            <h1>Schedule not found</h1>
            <p>
              No schedule <code>{scheduleId}</code> belongs to you. It may have been deleted, or be another
              user&apos;s.
            </p>
            <Link to={paths.schedules()} className="button">
              Back to schedules
            </Link>
          </div>
        ) : (
          <ProblemPanel
            title="The schedule could not be loaded"
            problem={toProblem(schedule.error)}
            onRetry={() => void schedule.refetch()}
          />
        )
      ) : (
        <ScheduleView schedule={schedule.data} />
      )}
    </article>
  );
}

function ScheduleView({ schedule }: { schedule: Schedule }) {
  const [isEditing, setIsEditing] = useState(false);
  const put = usePutSchedule();
  useEffect(() => {
    document.title = `${schedule.name} · Schedules · jobdeck`;
  }, [schedule.name]);
  return (
    <>
      <header className="detail-header">
        <div className="detail-title">
          <h1>{schedule.name}</h1>
          <PauseSwitch schedule={schedule} />
        </div>
        <div className="id-line">
          <code>{schedule.id}</code>
          <CopyButton text={schedule.id} what="schedule id" />
        </div>
        <ScheduleActions schedule={schedule} isEditing={isEditing} onEdit={() => setIsEditing(true)} />
      </header>

      {isEditing ? (
        <section aria-label="Edit" className="form-panel">
          <ScheduleForm
            key={schedule.updatedAt}
            schedule={schedule}
            submitLabel="Save schedule"
            pendingLabel="Saving…"
            isPending={put.isPending}
            error={put.error}
            onSubmit={(body) =>
              put.put(schedule.id, body, {
                onSuccess: () => {
                  notify(`Schedule ${body.name} saved`);
                  put.reset();
                  setIsEditing(false);
                },
              })
            }
            onCancel={() => {
              put.reset();
              setIsEditing(false);
            }}
          />
        </section>
      ) : (
        <ScheduleOverview schedule={schedule} />
      )}
      <ScheduleJobs scheduleId={schedule.id} />
    </>
  );
}

function ScheduleOverview({ schedule }: { schedule: Schedule }) {
  return (
    <>
      <section aria-labelledby="when-heading" className="detail-section">
        <h2 id="when-heading">When it fires</h2>
        <dl className="fields">
          <Field name="Cron">
            <code>{schedule.cron}</code>
          </Field>
          <Field name="Time zone">{schedule.timezone}</Field>
          <Field name="Next run">
            <RunTime iso={schedule.nextRunAt} empty={schedule.isPaused ? "none while paused" : "—"} />
          </Field>
          <Field name="Last run">
            <LastRun schedule={schedule} />
          </Field>
        </dl>
        <CronExplanation cron={schedule.cron} timezone={schedule.timezone} viewerZone={viewerTimeZone()} />
      </section>
      <section aria-labelledby="jobs-heading" className="detail-section">
        <h2 id="jobs-heading">The jobs it makes</h2>
        <dl className="fields">
          <Field name="Type">{schedule.type}</Field>
          <Field name="Queue">
            <Link to={paths.list(listOf({ queues: [schedule.queue] }))}>{schedule.queue}</Link>
          </Field>
          <Field name="Priority">{schedule.priority}</Field>
          <Field name="Overlap">
            {schedule.overlap === "skip" ? "skip while the last job is pending or running" : "allow"}
          </Field>
          <Field name="After downtime">
            {schedule.catchUp === "latest" ? "one job for the latest missed time" : "skip missed times"}
          </Field>
          <Field name="Created">
            <RelativeTime iso={schedule.createdAt} exact="full" />
          </Field>
          <Field name="Updated">
            <RelativeTime iso={schedule.updatedAt} exact="full" />
          </Field>
        </dl>
        <h3>Payload</h3>
        <JsonTree value={schedule.payload} openDepth={2} />
      </section>
    </>
  );
}

function ScheduleActions({
  schedule,
  isEditing,
  onEdit,
}: {
  schedule: Schedule;
  isEditing: boolean;
  onEdit: () => void;
}) {
  const trigger = useTriggerSchedule();
  const remove = useDeleteSchedule();
  const [isConfirming, setIsConfirming] = useState(false);
  const failure = trigger.error ?? remove.error;
  return (
    <div className="actions">
      <button
        type="button"
        className="button primary"
        disabled={trigger.isPending}
        title="Make its job now, also while paused; the next run does not move"
        onClick={() => {
          remove.reset();
          trigger.mutate(
            { params: { scheduleId: schedule.id } },
            {
              onSuccess: (response) =>
                notify(`Job made by ${schedule.name}`, {
                  action: { label: "Open", href: paths.job(response.body.data.id) },
                }),
            },
          );
        }}
      >
        {trigger.isPending ? "Triggering…" : "Trigger now"}
      </button>
      {!isEditing && (
        <button type="button" className="button" onClick={onEdit}>
          Edit
        </button>
      )}
      {isConfirming ? (
        <span className="confirm" role="group" aria-label="Confirm delete">
          Delete {schedule.name}? Its jobs stay.{" "}
          <button
            type="button"
            className="button danger"
            disabled={remove.isPending}
            onClick={() => {
              trigger.reset();
              remove.mutate(
                { params: { scheduleId: schedule.id } },
                {
                  onSuccess: () => {
                    notify(`Schedule ${schedule.name} deleted`);
                    navigate(paths.schedules());
                  },
                },
              );
            }}
          >
            {remove.isPending ? "Deleting…" : "Yes, delete"}
          </button>{" "}
          <button type="button" className="button" onClick={() => setIsConfirming(false)}>
            Keep it
          </button>
        </span>
      ) : (
        <button type="button" className="button" onClick={() => setIsConfirming(true)}>
          Delete
        </button>
      )}
      {failure && (
        <p className="action-error" role="alert">
          {toProblem(failure).message}
        </p>
      )}
    </div>
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
