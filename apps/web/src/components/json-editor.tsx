import { lazy, Suspense, useImperativeHandle, useRef, type Ref } from "react";
import { editorPreference } from "../lib/editor-preference";

export type JsonEditorHandle = { focus: () => void };

export type JsonEditorProps = {
  /** The editable element's id (a text area's, or the code editor's content). */
  id: string;
  /** The id of the label that names it (a code editor is named by aria-labelledby, not <label for>). */
  labelId: string;
  value: string;
  onChange: (text: string) => void;
  describedBy?: string;
  isInvalid?: boolean;
  /** The JSON Schema the value is written against: completion and the marks at wrong values. */
  schema?: unknown;
  /** The plain text area instead of the code editor (the reader's choice). */
  isPlain: boolean;
  /** The text area's height in lines; the code editor grows with its text up to a limit. */
  rows?: number;
  handleRef?: Ref<JsonEditorHandle>;
};

// The browser fetches a module once, however often it is imported.
const loadCodeEditor = () => import("./json-editor/code-editor");
const CodeEditor = lazy(loadCodeEditor);

/**
 * Starts downloading the code editor before a form needs it (a page that will show one), unless
 * the reader chose the plain text area.
 */
export function preloadJsonEditor() {
  if (editorPreference() === "code") void loadCodeEditor();
}

/**
 * JSON text with a code editor: highlighting, errors at their line, completion from the schema.
 * The editor is its own chunk, fetched when the first form with one opens; until it arrives (and
 * for a reader who chose it) a plain text area stands in, with the same id, label and value.
 */
export function JsonEditor(props: JsonEditorProps) {
  const plain = <PlainJsonEditor {...props} />;
  if (props.isPlain) return plain;
  return (
    <Suspense fallback={plain}>
      <CodeEditor {...props} />
    </Suspense>
  );
}

function PlainJsonEditor({ id, value, onChange, describedBy, isInvalid, rows, handleRef }: JsonEditorProps) {
  const areaRef = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(handleRef, () => ({ focus: () => areaRef.current?.focus() }), []);
  return (
    <textarea
      id={id}
      ref={areaRef}
      className="payload-input"
      value={value}
      rows={rows ?? Math.min(24, Math.max(8, value.split("\n").length + 1))}
      spellCheck={false}
      autoComplete="off"
      aria-invalid={isInvalid || undefined}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          event.currentTarget.form?.requestSubmit();
        }
      }}
    />
  );
}
