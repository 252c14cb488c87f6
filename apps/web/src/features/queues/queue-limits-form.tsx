import type { Queue, QueueSettings } from "@jobdeck/contract";
import { useId, useState } from "react";
import { ProblemPanel } from "../../components/problem-panel";
import { statusOf, toProblem } from "../../lib/api-errors";
import { notify } from "../../lib/notices";
import {
  parseLimitsForm,
  toLimitsForm,
  type LimitsField,
  type LimitsForm,
  type LimitsIssues,
} from "./queue-limits";
import { usePutQueue, useQueue } from "./use-queues";

/**
 * A queue's limits, edited in place. The form starts from GET /v1/queues/{name} and keeps that
 * answer's ETag: saving sends it as If-Match, so a change someone else made in the meantime is
 * not overwritten (412) but shown, with a way to start again from the queue as it is now.
 */
export function QueueLimitsForm({ name, onClose }: { name: string; onClose: () => void }) {
  const current = useQueue(name);
  if (current.isPending) {
    return (
      <p role="status" className="muted">
        Loading the limits of {name}…
      </p>
    );
  }
  if (current.isError) {
    return (
      <ProblemPanel
        title={`The limits of ${name} could not be loaded`}
        problem={toProblem(current.error)}
        onRetry={() => void current.refetch()}
      />
    );
  }
  const { queue, etag } = current.data;
  // A reload gives a new ETag, and the form starts again from the values it came with.
  return (
    <LimitsEditor
      key={etag ?? queue.updatedAt}
      queue={queue}
      etag={etag}
      onReload={() => void current.refetch()}
      isReloading={current.isFetching}
      onClose={onClose}
    />
  );
}

type LimitsEditorProps = {
  queue: Pick<Queue, "name"> & QueueSettings;
  /** Sent as If-Match; undefined for a queue configured before it exists. */
  etag: string | undefined;
  onReload: () => void;
  isReloading: boolean;
  onClose: () => void;
};

export function LimitsEditor({ queue, etag, onReload, isReloading, onClose }: LimitsEditorProps) {
  const [form, setForm] = useState<LimitsForm>(() => toLimitsForm(queue));
  const [issues, setIssues] = useState<LimitsIssues>({});
  const put = usePutQueue();
  const isConflict = statusOf(put.error) === 412;
  const problem = put.error && !isConflict ? toProblem(put.error) : undefined;

  const change = (field: LimitsField, value: string) => {
    setForm((old) => ({ ...old, [field]: value }));
    setIssues((old) => ({ ...old, [field]: undefined }));
  };
  const save = () => {
    const parsed = parseLimitsForm(form);
    if (parsed.issues) {
      setIssues(parsed.issues);
      return;
    }
    put.put(queue.name, parsed.settings, etag, {
      onSuccess: () => {
        notify(`Limits of ${queue.name} saved`);
        onClose();
      },
    });
  };

  const field = { form, issues, onChange: change };
  return (
    <form
      className="limits-form"
      aria-label={`Limits of ${queue.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {isConflict && (
        <div className="form-error" role="alert">
          <strong>Changed by someone else — reload.</strong> The limits of {queue.name} changed after this
          form opened; nothing was saved.{" "}
          <button type="button" className="button small" disabled={isReloading} onClick={onReload}>
            {isReloading ? "Reloading…" : "Reload"}
          </button>
        </div>
      )}
      {problem && (
        <div className="form-error" role="alert">
          <strong>The limits were not saved.</strong> {problem.message}
          {problem.details.length > 0 && (
            <ul>
              {problem.details.map((detail) => (
                <li key={`${detail.path}:${detail.message}`}>
                  {detail.path}: {detail.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="limits-grid">
        <NumberField {...field} name="concurrency" label="Running at once" help="in the whole queue" />
        <NumberField
          {...field}
          name="perKeyConcurrency"
          label="Running at once per key"
          help="per concurrency key"
        />
        <RateFields
          {...field}
          legend="Starts"
          limitName="rateLimit"
          periodName="ratePeriodS"
          help="in the whole queue"
        />
        <RateFields
          {...field}
          legend="Starts per key"
          limitName="perKeyRateLimit"
          periodName="perKeyRatePeriodS"
          help="per concurrency key"
        />
      </div>
      <p className="help muted">
        Empty means no limit. Lowering a limit stops no running job; it applies from the next start.
      </p>
      <div className="form-actions">
        <button type="submit" className="button primary small" disabled={put.isPending || isConflict}>
          {put.isPending ? "Saving…" : "Save limits"}
        </button>
        <button type="button" className="button small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type FieldProps = {
  form: LimitsForm;
  issues: LimitsIssues;
  onChange: (field: LimitsField, value: string) => void;
};

function NumberField({
  form,
  issues,
  onChange,
  name,
  label,
  help,
}: FieldProps & { name: LimitsField; label: string; help: string }) {
  const ids = { input: useId(), help: useId(), issue: useId() };
  const issue = issues[name];
  return (
    <div className="field">
      <label htmlFor={ids.input}>{label}</label>
      <input
        id={ids.input}
        inputMode="numeric"
        placeholder="no limit"
        value={form[name]}
        aria-invalid={issue ? true : undefined}
        aria-describedby={`${ids.help}${issue ? ` ${ids.issue}` : ""}`}
        onChange={(event) => onChange(name, event.target.value)}
      />
      <span id={ids.help} className="help muted">
        {help}
      </span>
      {issue && (
        <p id={ids.issue} className="field-issues">
          {issue}
        </p>
      )}
    </div>
  );
}

function RateFields({
  form,
  issues,
  onChange,
  legend,
  limitName,
  periodName,
  help,
}: FieldProps & { legend: string; limitName: LimitsField; periodName: LimitsField; help: string }) {
  const ids = { limit: useId(), period: useId(), issue: useId() };
  const issue = issues[limitName] ?? issues[periodName];
  return (
    <fieldset className="field rate-field" aria-describedby={issue ? ids.issue : undefined}>
      <legend>
        {legend} <span className="help muted">{help}</span>
      </legend>
      <span className="rate-inputs">
        <input
          id={ids.limit}
          aria-label={`${legend}: how many`}
          inputMode="numeric"
          placeholder="no limit"
          value={form[limitName]}
          aria-invalid={issues[limitName] ? true : undefined}
          onChange={(event) => onChange(limitName, event.target.value)}
        />
        <label htmlFor={ids.period}>per</label>
        <input
          id={ids.period}
          aria-label={`${legend}: period in seconds`}
          inputMode="numeric"
          placeholder="60"
          value={form[periodName]}
          aria-invalid={issues[periodName] ? true : undefined}
          onChange={(event) => onChange(periodName, event.target.value)}
        />
        <span aria-hidden="true">s</span>
      </span>
      {issue && (
        <p id={ids.issue} className="field-issues">
          {issue}
        </p>
      )}
    </fieldset>
  );
}
