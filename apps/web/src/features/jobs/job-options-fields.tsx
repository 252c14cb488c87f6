import { DEDUPE_MODES, type DedupeMode } from "@jobdeck/contract";
import { useId, type ReactNode } from "react";
import {
  DELAY_UNITS,
  type DelayUnit,
  type JobOptionsForm,
  type OptionsIssues,
  type StartMode,
} from "./job-options";

type JobOptionsFieldsProps = {
  value: JobOptionsForm;
  onChange: (patch: Partial<JobOptionsForm>) => void;
  issues: OptionsIssues;
  /** Queues the reader has, offered as suggestions; any valid name makes a new one. */
  queueNames: string[];
};

const DEDUPE_HELP: Record<DedupeMode, string> = {
  skip: "While a job with this key is pending, creating another returns that job unchanged.",
  replace: "While a job with this key is pending, creating another gives it this payload and these options.",
  debounce:
    "Like replace, and the pending job's start moves to this long after the latest create (but no later than the maximum after the first).",
};

/** Where and when the job runs (§11): queue, priority, start, concurrency key and dedupe. */
export function JobOptionsFields({ value, onChange, issues, queueNames }: JobOptionsFieldsProps) {
  const listId = useId();
  const isDebounce = value.dedupeKey.trim() !== "" && value.dedupe === "debounce";
  return (
    <fieldset className="job-options">
      <legend>Queue and timing</legend>
      <div className="options-grid">
        <TextField
          label="Queue"
          help="default unless chosen"
          value={value.queue}
          issue={issues.queue}
          placeholder="default"
          list={listId}
          onChange={(queue) => onChange({ queue })}
        />
        <datalist id={listId}>
          {queueNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <TextField
          label="Priority"
          help="−100 to 100; higher starts first"
          value={value.priority}
          issue={issues.priority}
          placeholder="0"
          inputMode="numeric"
          onChange={(priority) => onChange({ priority })}
        />
        <TextField
          label="Concurrency key"
          help="jobs with the same key share the queue's per-key limits"
          value={value.concurrencyKey}
          issue={issues.concurrencyKey}
          placeholder="e.g. a customer id"
          onChange={(concurrencyKey) => onChange({ concurrencyKey })}
        />
      </div>

      <fieldset className="field rate-field">
        <legend>Start</legend>
        {isDebounce ? (
          <p className="help muted">Debounce decides when the job starts.</p>
        ) : (
          <>
            <div className="choice-row" role="radiogroup" aria-label="Start">
              {(
                [
                  ["now", "Now"],
                  ["delay", "After a delay"],
                  ["at", "At a time"],
                ] as [StartMode, string][]
              ).map(([mode, label]) => (
                <label key={mode}>
                  <input
                    type="radio"
                    name="start"
                    checked={value.start === mode}
                    onChange={() => onChange({ start: mode })}
                  />
                  {label}
                </label>
              ))}
            </div>
            {value.start === "delay" && (
              <div className="choice-row">
                <TextField
                  label="Delay"
                  value={value.delay}
                  issue={issues.delay}
                  inputMode="decimal"
                  onChange={(delay) => onChange({ delay })}
                />
                <label>
                  <span className="visually-hidden">Delay unit</span>
                  <select
                    aria-label="Delay unit"
                    value={value.delayUnit}
                    onChange={(event) => onChange({ delayUnit: event.target.value as DelayUnit })}
                  >
                    {Object.keys(DELAY_UNITS).map((unit) => (
                      <option key={unit} value={unit}>
                        {unit}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
            )}
            {value.start === "at" && (
              <TextField
                label="Start time"
                help={`local time (${Intl.DateTimeFormat().resolvedOptions().timeZone}); not started before then`}
                type="datetime-local"
                value={value.runAt}
                issue={issues.runAt}
                onChange={(runAt) => onChange({ runAt })}
              />
            )}
          </>
        )}
      </fieldset>

      <div className="options-grid">
        <TextField
          label="Dedupe key"
          help="at most one pending job per queue and key"
          value={value.dedupeKey}
          issue={issues.dedupeKey}
          onChange={(dedupeKey) => onChange({ dedupeKey })}
        />
        {value.dedupeKey.trim() !== "" && (
          <Field label="Dedupe mode" help={DEDUPE_HELP[value.dedupe]}>
            {(ids) => (
              <select
                id={ids.input}
                aria-describedby={ids.help}
                value={value.dedupe}
                onChange={(event) => onChange({ dedupe: event.target.value as DedupeMode })}
              >
                {DEDUPE_MODES.map((mode) => (
                  <option key={mode} value={mode}>
                    {mode}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {isDebounce && (
          <>
            <TextField
              label="Debounce (s)"
              help="start this long after the latest create"
              value={value.debounce}
              issue={issues.debounce}
              inputMode="decimal"
              onChange={(debounce) => onChange({ debounce })}
            />
            <TextField
              label="Debounce at most (s)"
              help="never later than this after the first create; optional"
              value={value.debounceMax}
              issue={issues.debounceMax}
              inputMode="decimal"
              onChange={(debounceMax) => onChange({ debounceMax })}
            />
          </>
        )}
      </div>
    </fieldset>
  );
}

type FieldIds = { input: string; help: string; issue: string };

function Field({
  label,
  help,
  issue,
  children,
}: {
  label: string;
  help?: string;
  issue?: string;
  children: (ids: FieldIds) => ReactNode;
}) {
  const ids = { input: useId(), help: useId(), issue: useId() };
  return (
    <div className="field">
      <label htmlFor={ids.input}>{label}</label>
      {children(ids)}
      {help && (
        <span id={ids.help} className="help muted">
          {help}
        </span>
      )}
      {issue && (
        <p id={ids.issue} className="field-issues">
          {issue}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = {
  label: string;
  help?: string;
  value: string;
  issue: string | undefined;
  onChange: (value: string) => void;
  placeholder?: string;
  inputMode?: "numeric" | "decimal";
  type?: string;
  list?: string;
};

function TextField({
  label,
  help,
  value,
  issue,
  onChange,
  placeholder,
  inputMode,
  type,
  list,
}: TextFieldProps) {
  return (
    <Field label={label} help={help} issue={issue}>
      {(ids) => (
        <input
          id={ids.input}
          type={type ?? "text"}
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          list={list}
          autoComplete="off"
          aria-invalid={issue ? true : undefined}
          aria-describedby={[help && ids.help, issue && ids.issue].filter(Boolean).join(" ") || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
