/**
 * The code editor itself (CodeMirror 6). Loaded on its own when a payload form first opens
 * (components/json-editor.tsx), so that its ~100 kB stay out of the dashboard's first visit.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput } from "@codemirror/language";
import { linter, lintGutter, lintKeymap } from "@codemirror/lint";
import { Compartment, EditorState, Prec, Transaction } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { useEffect, useImperativeHandle, useRef, useState } from "react";
import type { JsonEditorProps } from "../json-editor";
import { completeFromSchema, jsonSchemaFacet } from "./completion";
import { jsonDiagnostics } from "./diagnostics";
import { editorTheme, jsonHighlighting } from "./theme";

type CodeEditorProps = Omit<JsonEditorProps, "isPlain" | "rows">;

const contentAttributes = ({
  id,
  labelId,
  describedBy,
  isInvalid,
}: Pick<CodeEditorProps, "id" | "labelId" | "describedBy" | "isInvalid">) => ({
  id,
  "aria-labelledby": labelId,
  ...(describedBy ? { "aria-describedby": describedBy } : {}),
  ...(isInvalid ? { "aria-invalid": "true" } : {}),
});

export default function CodeEditor(props: CodeEditorProps) {
  const { value, schema, handleRef } = props;
  const parentRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | undefined>(undefined);
  const onChangeRef = useRef(props.onChange);
  const compartments = useRef({ attributes: new Compartment(), schema: new Compartment() }).current;
  // The plain text area stood here while this module loaded: a reader typing in it goes on here.
  const [takenOver] = useState(() => {
    const active = document.activeElement;
    return active instanceof HTMLTextAreaElement && active.id === props.id
      ? active.selectionStart
      : undefined;
  });

  useEffect(() => {
    onChangeRef.current = props.onChange;
  });

  useEffect(() => {
    const view = new EditorView({
      parent: parentRef.current ?? undefined,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          EditorView.lineWrapping,
          EditorState.tabSize.of(2),
          json(),
          jsonHighlighting,
          editorTheme,
          compartments.schema.of(jsonSchemaFacet.of(schema)),
          linter((v) => jsonDiagnostics(v.state, v.state.facet(jsonSchemaFacet)), {
            delay: 300,
            needsRefresh: (update) =>
              update.startState.facet(jsonSchemaFacet) !== update.state.facet(jsonSchemaFacet),
          }),
          autocompletion({ override: [completeFromSchema], icons: false }),
          // Ctrl+Enter sends the form, as in the text area; Tab leaves the editor (no tab trap).
          Prec.highest(keymap.of([{ key: "Mod-Enter", run: submitForm }])),
          keymap.of([
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...foldKeymap,
            ...completionKeymap,
            ...lintKeymap,
          ]),
          compartments.attributes.of(EditorView.contentAttributes.of(contentAttributes(props))),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((t) => t.annotation(Transaction.remote)))
              onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    if (takenOver !== undefined) {
      view.focus();
      view.dispatch({ selection: { anchor: Math.min(takenOver, view.state.doc.length) } });
    }
    return () => {
      view.destroy();
      viewRef.current = undefined;
    };
    // Made once; the effects below keep it in step with the props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A change from outside (Format, Reset, another type's example) replaces the text.
  useEffect(() => {
    const view = viewRef.current;
    if (!view || view.state.doc.toString() === value) return;
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: value },
      annotations: Transaction.remote.of(true),
    });
  }, [value]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: compartments.schema.reconfigure(jsonSchemaFacet.of(schema)) });
  }, [schema, compartments]);

  const { id, labelId, describedBy, isInvalid } = props;
  useEffect(() => {
    viewRef.current?.dispatch({
      effects: compartments.attributes.reconfigure(
        EditorView.contentAttributes.of(contentAttributes({ id, labelId, describedBy, isInvalid })),
      ),
    });
  }, [id, labelId, describedBy, isInvalid, compartments]);

  useImperativeHandle(handleRef, () => ({ focus: () => viewRef.current?.focus() }), []);

  return <div ref={parentRef} className={`json-editor${isInvalid ? " is-invalid" : ""}`} />;
}

function submitForm(view: EditorView): boolean {
  const form = view.dom.closest("form");
  if (!form) return false;
  form.requestSubmit();
  return true;
}
