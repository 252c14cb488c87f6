import { WEBHOOK_EVENTS, type Webhook, type WebhookBody, type WebhookEvent } from "@jobdeck/contract";
import { useId, useState } from "react";
import { toProblem } from "../../lib/api-errors";
import { useJobTypes } from "../jobs/use-job-types";
import { useQueues } from "../queues/use-queues";
import {
  issuesFromProblem,
  parseWebhookForm,
  toWebhookForm,
  type WebhookField,
  type WebhookForm as FormValues,
  type WebhookIssues,
} from "./webhook-form-state";

export const EVENT_TEXT: Record<WebhookEvent, string> = {
  "job.created": "a job is created",
  "job.started": "an attempt starts",
  "job.completed": "a job completes",
  "job.failed": "a job fails after its last attempt",
  "job.cancelled": "a job is cancelled",
};

type WebhookFormProps = {
  webhook: Webhook | undefined;
  submitLabel: string;
  pendingLabel: string;
  isPending: boolean;
  error: unknown;
  onSubmit: (body: WebhookBody) => void;
  onCancel: () => void;
};

/** Where to send, which events, and which jobs' events (by type and queue). */
export function WebhookForm({
  webhook,
  submitLabel,
  pendingLabel,
  isPending,
  error,
  onSubmit,
  onCancel,
}: WebhookFormProps) {
  const jobTypes = useJobTypes();
  const queues = useQueues();
  const [form, setForm] = useState<FormValues>(() => toWebhookForm(webhook));
  const [localIssues, setLocalIssues] = useState<WebhookIssues>({});
  // The server's answer is about the form as sent: a field edited since drops its part.
  const [answer, setAnswer] = useState<{ error: unknown; issues: WebhookIssues; edited: Set<WebhookField> }>({
    error: undefined,
    issues: {},
    edited: new Set(),
  });
  if (error !== answer.error) {
    setAnswer({ error, issues: error ? issuesFromProblem(toProblem(error)) : {}, edited: new Set() });
  }
  const issuesOf = (field: WebhookField) => [
    ...(localIssues[field] ?? []),
    ...(answer.edited.has(field) ? [] : (answer.issues[field] ?? [])),
  ];
  const change = <F extends keyof FormValues>(field: F & WebhookField, value: FormValues[F]) => {
    setForm((old) => ({ ...old, [field]: value }));
    setLocalIssues((old) => ({ ...old, [field]: undefined }));
    setAnswer((old) => ({ ...old, edited: new Set(old.edited).add(field) }));
  };
  const submit = () => {
    const parsed = parseWebhookForm(form);
    if (parsed.issues) setLocalIssues(parsed.issues);
    else onSubmit(parsed.body);
  };

  const ids = { url: useId(), queues: useId(), enabled: useId() };
  const typeNames = [...new Set([...(jobTypes.data ?? []).map((t) => t.type), ...form.types])].sort();
  const knownQueues = queues.queues.map((queue) => queue.name);
  const hasFieldIssues = Object.keys(answer.issues).some((key) => key !== "form");
  const problem = error ? toProblem(error) : undefined;
  return (
    <form
      className="webhook-form"
      aria-label={webhook ? "Edit webhook" : "New webhook"}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {(answer.issues.form?.length ?? 0) > 0 && (
        <div className="form-error" role="alert">
          <strong>The webhook was not saved.</strong> {answer.issues.form?.join(" ")}
        </div>
      )}
      {hasFieldIssues && (
        <div className="form-error" role="alert">
          <strong>The webhook was not saved.</strong> {problem?.message} See the marked fields.
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.url}>Endpoint URL</label>
        <input
          id={ids.url}
          type="url"
          value={form.url}
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com/hooks/jobdeck"
          aria-invalid={issuesOf("url").length > 0 || undefined}
          aria-describedby={`${ids.url}-help${issuesOf("url").length ? ` ${ids.url}-issues` : ""}`}
          onChange={(event) => change("url", event.target.value)}
        />
        <p id={`${ids.url}-help`} className="help muted">
          Messages are POSTed here, signed the Standard Webhooks way (webhook-id, webhook-timestamp,
          webhook-signature).
        </p>
        <Issues id={`${ids.url}-issues`} issues={issuesOf("url")} />
      </div>

      <CheckboxGroup
        legend="Events"
        help="Send a message when…"
        options={WEBHOOK_EVENTS.map((event) => ({
          value: event,
          label: event,
          description: EVENT_TEXT[event],
        }))}
        selected={form.events}
        onChange={(events) => change("events", events.filter(isEvent))}
        issues={issuesOf("events")}
      />

      <CheckboxGroup
        legend="Only these job types"
        help="None ticked: every type."
        options={typeNames.map((type) => ({ value: type, label: type }))}
        selected={form.types}
        onChange={(types) => change("types", types)}
        issues={issuesOf("types")}
        empty={jobTypes.isPending ? "Loading job types…" : "No job types registered"}
      />

      <div className="field">
        <label htmlFor={ids.queues}>Only these queues</label>
        <input
          id={ids.queues}
          value={form.queues}
          autoComplete="off"
          spellCheck={false}
          placeholder="every queue"
          aria-invalid={issuesOf("queues").length > 0 || undefined}
          aria-describedby={`${ids.queues}-help${issuesOf("queues").length ? ` ${ids.queues}-issues` : ""}`}
          onChange={(event) => change("queues", event.target.value)}
        />
        <p id={`${ids.queues}-help`} className="help muted">
          Comma-separated; empty: every queue. With types too, a job must match both.
          {knownQueues.length > 0 && <> Your queues: {knownQueues.join(", ")}.</>}
        </p>
        <Issues id={`${ids.queues}-issues`} issues={issuesOf("queues")} />
      </div>

      <div className="field checkbox-field">
        <label>
          <input
            id={ids.enabled}
            type="checkbox"
            checked={form.isEnabled}
            onChange={(event) => change("isEnabled", event.target.checked)}
          />{" "}
          Enabled
        </label>
        <p className="help muted">Events that happen while a webhook is disabled are never sent.</p>
        <Issues id={`${ids.enabled}-issues`} issues={issuesOf("isEnabled")} />
      </div>

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

const isEvent = (value: string): value is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly string[]).includes(value);

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

function CheckboxGroup({
  legend,
  help,
  options,
  selected,
  onChange,
  issues,
  empty,
}: {
  legend: string;
  help: string;
  options: { value: string; label: string; description?: string }[];
  selected: string[];
  onChange: (values: string[]) => void;
  issues: string[];
  empty?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className="field checkbox-group"
      aria-describedby={`${id}-help${issues.length ? ` ${id}-issues` : ""}`}
      aria-invalid={issues.length > 0 || undefined}
    >
      <legend>{legend}</legend>
      <p id={`${id}-help`} className="help muted">
        {help}
      </p>
      {options.length === 0 && <p className="muted">{empty}</p>}
      <div className="checkbox-grid">
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="checkbox"
              checked={selected.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? [...selected, option.value]
                    : selected.filter((value) => value !== option.value),
                )
              }
            />{" "}
            <span>{option.label}</span>
            {option.description && <span className="muted small"> — {option.description}</span>}
          </label>
        ))}
      </div>
      <Issues id={`${id}-issues`} issues={issues} />
    </fieldset>
  );
}
