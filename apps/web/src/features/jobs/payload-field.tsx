import { useId, type Ref } from "react";
import { JsonEditor, type JsonEditorHandle } from "../../components/json-editor";
import { JsonTree } from "../../components/json-tree";
import { setEditorPreference, useEditorPreference } from "../../lib/editor-preference";
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
  inputRef?: Ref<JsonEditorHandle>;
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
  const ids = { input: useId(), label: useId(), help: useId(), issues: useId() };
  const parsed = parsePayload(value);
  const isPlain = useEditorPreference() === "plain";
  return (
    <div className="field">
      <div className="field-label-row">
        <label htmlFor={ids.input} id={ids.label}>
          Payload (JSON)
        </label>
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
          <button
            type="button"
            className="link-button"
            aria-pressed={isPlain}
            title="A plain text area instead of the code editor, in every payload field of this browser"
            onClick={() => setEditorPreference(isPlain ? "code" : "plain")}
          >
            Plain text
          </button>
        </span>
      </div>
      <JsonEditor
        id={ids.input}
        labelId={ids.label}
        value={value}
        onChange={onEdit}
        describedBy={`${ids.help}${issues.length ? ` ${ids.issues}` : ""}`}
        isInvalid={issues.length > 0}
        schema={schema}
        isPlain={isPlain}
        handleRef={inputRef}
      />
      <p id={ids.help} className="help muted">
        Checked against the type&apos;s schema before it is sent
        {isPlain ? "" : "; Ctrl+Space suggests its fields and values"}. Ctrl+Enter creates the job.
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
