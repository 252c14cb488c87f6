import type { JobType } from "@jobdeck/contract";
import { useId } from "react";
import { Markdown } from "../../components/markdown";
import { formatDuration } from "../../lib/format";
import type { SchemaIssue } from "../../lib/json-schema";
import { FieldIssues } from "./field-issues";

type JobTypeFieldProps = {
  jobTypes: JobType[];
  value: string;
  onChange: (type: string) => void;
  /** What the server said about the type. */
  issues: SchemaIssue[];
};

/** The type to create, with what it does, what it returns, and its attempts and timeout. */
export function JobTypeField({ jobTypes, value, onChange, issues }: JobTypeFieldProps) {
  const ids = { select: useId(), help: useId(), issues: useId() };
  const definition = jobTypes.find((t) => t.type === value);
  return (
    <div className="field">
      <label htmlFor={ids.select}>Type</label>
      <select
        id={ids.select}
        value={value}
        aria-describedby={`${ids.help}${issues.length ? ` ${ids.issues}` : ""}`}
        aria-invalid={issues.length > 0 || undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {jobTypes.map((t) => (
          <option key={t.type} value={t.type}>
            {t.type}
          </option>
        ))}
      </select>
      <div id={ids.help} className="help">
        {definition?.description && <Markdown source={definition.description} className="type-description" />}
        {definition && (
          <p className="muted">
            Result: {definition.resultType} · up to {definition.maxAttempts} attempts · times out after{" "}
            {formatDuration(definition.timeoutMs)}
          </p>
        )}
      </div>
      <FieldIssues id={ids.issues} issues={issues} />
    </div>
  );
}
