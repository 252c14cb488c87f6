import {
  CATCH_UP_MODES,
  OVERLAP_MODES,
  type JobType,
  type Schedule,
  type ScheduleBody,
} from "@jobdeck/contract";
import { useId, useState, type ReactNode } from "react";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem, type Problem } from "../../lib/api-errors";
import { JobTypeField } from "../jobs/job-type-field";
import { PayloadField } from "../jobs/payload-field";
import { checkPayload, parsePayload } from "../jobs/payload-issues";
import { starterPayload } from "../jobs/starter-payloads";
import { useJobTypes } from "../jobs/use-job-types";
import { CronExplanation } from "./cron-explanation";
import { viewerTimeZone } from "./cron-preview";
import {
  issuesFromProblem,
  parseScheduleForm,
  toScheduleForm,
  type ScheduleField,
  type ScheduleForm as FormValues,
  type ScheduleIssues,
} from "./schedule-form-state";

const OVERLAP_TEXT: Record<(typeof OVERLAP_MODES)[number], string> = {
  allow: "Allow: a job at every fire time, even while the last one still runs",
  skip: "Skip: no job for a fire time while the last one is pending or running",
};
const CATCH_UP_TEXT: Record<(typeof CATCH_UP_MODES)[number], string> = {
  latest: "Latest: after downtime, one job at once for the latest missed time",
  none: "None: after downtime, missed times are skipped",
};

const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
})();

type ScheduleFormProps = {
  /** The schedule edited; undefined to create one. */
  schedule: Schedule | undefined;
  submitLabel: string;
  pendingLabel: string;
  isPending: boolean;
  /** The save's refusal, shown at its fields. */
  error: unknown;
  onSubmit: (body: ScheduleBody) => void;
  onCancel: () => void;
};

/** The jobs list's types must load before the form can be filled in: the type is a choice among them. */
export function ScheduleForm(props: ScheduleFormProps) {
  const jobTypes = useJobTypes();
  if (jobTypes.isPending)
    return (
      <p role="status" className="muted">
        Loading job types…
      </p>
    );
  if (jobTypes.isError)
    return (
      <ProblemPanel
        title="The job types could not be loaded"
        problem={toProblem(jobTypes.error)}
        onRetry={() => void jobTypes.refetch()}
      />
    );
  return <ScheduleFormFields {...props} jobTypes={jobTypes.data} />;
}

function ScheduleFormFields({
  schedule,
  submitLabel,
  pendingLabel,
  isPending,
  error,
  onSubmit,
  onCancel,
  jobTypes,
}: ScheduleFormProps & { jobTypes: JobType[] }) {
  const viewerZone = viewerTimeZone();
  const [form, setForm] = useState<FormValues>(() => {
    const initial = toScheduleForm(schedule, viewerZone);
    if (schedule) return initial;
    const first = jobTypes[0];
    return first
      ? { ...initial, type: first.type, payload: starterPayload(first.type, first.payloadSchema) }
      : initial;
  });
  const [localIssues, setLocalIssues] = useState<ScheduleIssues>({});
  // The server's answer is about the form as it was sent: sorted to its fields once, when it
  // arrives (a 409 names the name that was sent), and a field edited since drops its part.
  const [answer, setAnswer] = useState<{
    error: unknown;
    issues: ScheduleIssues;
    edited: Set<ScheduleField>;
  }>({ error: undefined, issues: {}, edited: new Set() });
  if (error !== answer.error) {
    setAnswer({
      error,
      issues: error ? issuesFromProblem(toProblem(error), form.name.trim()) : {},
      edited: new Set(),
    });
  }
  const problem: Problem | undefined = error ? toProblem(error) : undefined;
  const serverIssues = answer.issues;
  const issuesOf = (field: ScheduleField): string[] => [
    ...(localIssues[field] ?? []),
    ...(answer.edited.has(field) ? [] : (serverIssues[field] ?? [])),
  ];

  const definition = jobTypes.find((t) => t.type === form.type);
  const change = <F extends ScheduleField>(field: F, value: FormValues[F]) => {
    setForm((old) => ({ ...old, [field]: value }));
    setLocalIssues((old) => ({ ...old, [field]: undefined }));
    setAnswer((old) => ({ ...old, edited: new Set(old.edited).add(field) }));
  };
  const changeType = (type: string) => {
    const next = jobTypes.find((t) => t.type === type);
    const previous = definition && starterPayload(definition.type, definition.payloadSchema);
    change("type", type);
    // A payload still as the previous type's example becomes the new type's example.
    if (next && (form.payload.trim() === "" || form.payload === previous))
      change("payload", starterPayload(next.type, next.payloadSchema));
  };

  const submit = () => {
    const parsed = parseScheduleForm(form);
    const payloadIssues =
      parsed.issues?.payload === undefined && definition
        ? checkPayload(parsePayload(form.payload), definition.payloadSchema).map((issue) =>
            issue.path === "payload"
              ? issue.message
              : `${issue.path.replace(/^payload\./, "")}: ${issue.message}`,
          )
        : [];
    if (parsed.issues || payloadIssues.length > 0) {
      setLocalIssues({ ...parsed.issues, ...(payloadIssues.length > 0 ? { payload: payloadIssues } : {}) });
      return;
    }
    onSubmit(parsed.body);
  };

  const ids = {
    name: useId(),
    cron: useId(),
    zone: useId(),
    zones: useId(),
    queue: useId(),
    priority: useId(),
  };
  const formIssues = serverIssues.form ?? [];
  return (
    <form
      className="schedule-form"
      aria-label={schedule ? `Edit schedule ${schedule.name}` : "New schedule"}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {formIssues.length > 0 && (
        <div className="form-error" role="alert">
          <strong>The schedule was not saved.</strong> {formIssues.join(" ")}
        </div>
      )}
      {Object.keys(serverIssues).some((key) => key !== "form") && (
        <div className="form-error" role="alert">
          <strong>The schedule was not saved.</strong> {problem?.message} See the marked fields.
        </div>
      )}
      <TextField id={ids.name} label="Name" issues={issuesOf("name")} help="Unique among your schedules.">
        <input
          id={ids.name}
          value={form.name}
          autoComplete="off"
          aria-invalid={issuesOf("name").length > 0 || undefined}
          aria-describedby={describedBy(ids.name, issuesOf("name"), true)}
          onChange={(event) => change("name", event.target.value)}
        />
      </TextField>
      <div className="cron-row">
        <TextField
          id={ids.cron}
          label="Cron expression"
          issues={issuesOf("cron")}
          help="5 fields (minute hour day month weekday), or 6 with seconds first. Names like MON and JAN work."
        >
          <input
            id={ids.cron}
            className="mono"
            value={form.cron}
            autoComplete="off"
            spellCheck={false}
            placeholder="0 3 * * *"
            aria-invalid={issuesOf("cron").length > 0 || undefined}
            aria-describedby={describedBy(ids.cron, issuesOf("cron"), true)}
            onChange={(event) => change("cron", event.target.value)}
          />
        </TextField>
        <TextField
          id={ids.zone}
          label="Time zone"
          issues={issuesOf("timezone")}
          help={`Fire times follow this zone's wall clock. Yours is ${viewerZone}.`}
        >
          <input
            id={ids.zone}
            value={form.timezone}
            list={ids.zones}
            autoComplete="off"
            spellCheck={false}
            placeholder="UTC"
            aria-invalid={issuesOf("timezone").length > 0 || undefined}
            aria-describedby={describedBy(ids.zone, issuesOf("timezone"), true)}
            onChange={(event) => change("timezone", event.target.value)}
          />
          <datalist id={ids.zones}>
            {ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </TextField>
      </div>
      <CronExplanation cron={form.cron} timezone={form.timezone.trim() || "UTC"} viewerZone={viewerZone} />
      <JobTypeField
        jobTypes={jobTypes}
        value={form.type}
        onChange={changeType}
        issues={issuesOf("type").map((message) => ({ path: "type", message }))}
      />
      <PayloadField
        value={form.payload}
        onEdit={(text) => change("payload", text)}
        onFormat={(text) => change("payload", text)}
        onReset={() =>
          definition && change("payload", starterPayload(definition.type, definition.payloadSchema))
        }
        issues={issuesOf("payload").map((message) => ({ path: "payload", message }))}
        schema={definition?.payloadSchema}
      />
      <div className="options-grid">
        <TextField id={ids.queue} label="Queue" issues={issuesOf("queue")} help="Empty: default.">
          <input
            id={ids.queue}
            value={form.queue}
            autoComplete="off"
            placeholder="default"
            aria-invalid={issuesOf("queue").length > 0 || undefined}
            aria-describedby={describedBy(ids.queue, issuesOf("queue"), true)}
            onChange={(event) => change("queue", event.target.value)}
          />
        </TextField>
        <TextField
          id={ids.priority}
          label="Priority"
          issues={issuesOf("priority")}
          help="−100…100; higher first."
        >
          <input
            id={ids.priority}
            inputMode="numeric"
            value={form.priority}
            aria-invalid={issuesOf("priority").length > 0 || undefined}
            aria-describedby={describedBy(ids.priority, issuesOf("priority"), true)}
            onChange={(event) => change("priority", event.target.value)}
          />
        </TextField>
      </div>
      <Choice
        legend="When the last job still runs"
        name="overlap"
        values={OVERLAP_MODES}
        texts={OVERLAP_TEXT}
        value={form.overlap}
        issues={issuesOf("overlap")}
        onChange={(value) => change("overlap", value)}
      />
      <Choice
        legend="After downtime"
        name="catchUp"
        values={CATCH_UP_MODES}
        texts={CATCH_UP_TEXT}
        value={form.catchUp}
        issues={issuesOf("catchUp")}
        onChange={(value) => change("catchUp", value)}
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={isPending}>
          {isPending ? pendingLabel : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const helpId = (id: string) => `${id}-help`;
const issuesId = (id: string) => `${id}-issues`;
const describedBy = (id: string, issues: string[], hasHelp: boolean) =>
  [hasHelp ? helpId(id) : "", issues.length > 0 ? issuesId(id) : ""].filter(Boolean).join(" ") || undefined;

function TextField({
  id,
  label,
  help,
  issues,
  children,
}: {
  id: string;
  label: string;
  help: string;
  issues: string[];
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      <p id={helpId(id)} className="help muted">
        {help}
      </p>
      <Issues id={issuesId(id)} issues={issues} />
    </div>
  );
}

function Issues({ id, issues }: { id: string; issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="field-issues">
      {issues.map((issue) => (
        <li key={issue}>{issue}</li>
      ))}
    </ul>
  );
}

function Choice<V extends string>({
  legend,
  name,
  values,
  texts,
  value,
  issues,
  onChange,
}: {
  legend: string;
  name: string;
  values: readonly V[];
  texts: Record<V, string>;
  value: V;
  issues: string[];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <fieldset className="field choice-field" aria-describedby={issues.length > 0 ? issuesId(id) : undefined}>
      <legend>{legend}</legend>
      {values.map((option) => (
        <label key={option} className="choice">
          <input
            type="radio"
            name={`${id}-${name}`}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          <span>{texts[option]}</span>
        </label>
      ))}
      <Issues id={issuesId(id)} issues={issues} />
    </fieldset>
  );
}
