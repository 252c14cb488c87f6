import { useId, type Ref } from "react";
import { JsonTree } from "../../components/json-tree";
import type { SchemaIssue } from "../../lib/json-schema";
import { FieldIssues } from "./field-issues";
import { parsePayload } from "./payload-issues";

type PayloadFieldProps = {
  value: string;
  /** The reader typed. */
  onEdit: (text: string) => void;
  /** "Format" re-indented valid JSON: the same payload. */
  onFormat: (text: string) => void;
  /** "Reset to example". */
  onReset: () => void;
  issues: SchemaIssue[];
  /** The type's payload schema, shown folded under the field. */
  schema: Record<string, unknown> | undefined;
  inputRef?: Ref<HTMLTextAreaElement>;
};

/** The payload as JSON text, with Format and Reset, its issues and the schema it must meet. */
export function PayloadField({
  value,
  onEdit,
  onFormat,
  onReset,
  issues,
  schema,
  inputRef,
}: PayloadFieldProps) {
  const ids = { input: useId(), help: useId(), issues: useId() };
  const parsed = parsePayload(value);
  return (
    <div className="field">
      <div className="field-label-row">
        <label htmlFor={ids.input}>Payload (JSON)</label>
        <span className="field-tools">
          <button
            type="button"
            className="link-button"
            disabled={parsed.error !== undefined}
            onClick={() => parsed.error === undefined && onFormat(JSON.stringify(parsed.value, null, 2))}
          >
            Format
          </button>
          <button type="button" className="link-button" onClick={onReset}>
            Reset to example
          </button>
        </span>
      </div>
      <textarea
        id={ids.input}
        ref={inputRef}
        className="payload-input"
        value={value}
        rows={Math.min(24, Math.max(8, value.split("\n").length + 1))}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={issues.length > 0 || undefined}
        aria-describedby={`${ids.help}${issues.length ? ` ${ids.issues}` : ""}`}
        onChange={(event) => onEdit(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            event.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <p id={ids.help} className="help muted">
        Checked against the type&apos;s schema before it is sent. Ctrl+Enter creates the job.
      </p>
      <FieldIssues id={ids.issues} issues={issues} />
      {schema && (
        <details className="schema">
          <summary>Payload schema</summary>
          <JsonTree value={schema} openDepth={3} />
        </details>
      )}
    </div>
  );
}
