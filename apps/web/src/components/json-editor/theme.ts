/** The editor in the dashboard's colours (styles.css variables), so that it follows light and dark. */
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";

export const editorTheme = EditorView.theme({
  "&": {
    border: "1px solid var(--border-strong)",
    borderRadius: "var(--radius)",
    background: "var(--bg)",
    color: "var(--text)",
  },
  "&.cm-focused": { outline: "2px solid var(--focus)", outlineOffset: "1px" },
  "&.is-invalid": { borderColor: "var(--danger)" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--text)" },
  ".cm-gutters": {
    background: "var(--bg-subtle)",
    color: "var(--text-muted)",
    borderRight: "1px solid var(--border)",
    borderRadius: "var(--radius) 0 0 var(--radius)",
  },
  ".cm-activeLine, .cm-activeLineGutter": { background: "var(--bg-hover)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    background: "var(--bg-active)",
  },
  ".cm-tooltip": {
    background: "var(--bg-raised)",
    color: "var(--text)",
    border: "1px solid var(--border-strong)",
    borderRadius: "var(--radius)",
    boxShadow: "var(--shadow)",
  },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": {
    background: "var(--accent)",
    color: "var(--accent-text)",
  },
  ".cm-completionDetail": { marginLeft: "1em", fontStyle: "normal", opacity: "0.75" },
  ".cm-completionInfo": { maxWidth: "28em", padding: "4px 8px" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--danger)" },
});

export const jsonHighlighting = syntaxHighlighting(
  HighlightStyle.define([
    { tag: tags.propertyName, color: "var(--accent)" },
    { tag: tags.string, color: "var(--completed)" },
    { tag: tags.number, color: "var(--running)" },
    { tag: [tags.bool, tags.null], color: "var(--cancelled)", fontWeight: "600" },
    { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], color: "var(--text-muted)" },
    { tag: tags.invalid, color: "var(--danger)" },
  ]),
);
