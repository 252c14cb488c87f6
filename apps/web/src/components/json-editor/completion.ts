/**
 * Completion from the job type's published JSON Schema: the keys an object may have (required
 * ones first, with their type and description), and the values a field allows (enum, const,
 * booleans, null, its default).
 */
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { Facet, type EditorState } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import type { Schema } from "../../lib/json-schema";
import {
  containerAt,
  fullTree,
  indexAt,
  keyOf,
  keysOf,
  schemasAt,
  type PathSegment,
} from "./json-tree-paths";

/** The schema the document is written against; the editor reconfigures it when the type changes. */
export const jsonSchemaFacet = Facet.define<unknown, unknown>({ combine: (values) => values[0] });

export function completeFromSchema(context: CompletionContext): CompletionResult | null {
  const schema = context.state.facet(jsonSchemaFacet);
  if (schema === undefined) return null;
  const word = wordBefore(context);
  if (word.text === "" && !context.explicit) return null;
  const { state } = context;
  const tree = fullTree(state);
  const container = containerAt(tree, state, word.from);
  if (!container) return null;
  const before = lastCharBefore(state, word.from);

  if (container.node.name === "Object" && (before === "{" || before === ",")) {
    const present = new Set(keysOf(state, container.node));
    const typed = word.text.startsWith('"') ? safeKey(word.text) : word.text;
    present.delete(typed);
    const options = keyOptions(schemasAt(schema, container.path)).filter((o) => !present.has(o.label));
    // Matched against what follows the quote; the quote itself is replaced by `apply`.
    return options.length ? { from: word.from + (word.text.startsWith('"') ? 1 : 0), options } : null;
  }

  let path: PathSegment[] | undefined;
  if (container.node.name === "Object" && before === ":") {
    const property = tree.resolveInner(lastCharPos(state, word.from), 1).parent;
    const name = property?.name === "Property" ? property.getChild("PropertyName") : null;
    if (name) path = [...container.path, keyOf(state, name)];
  } else if (container.node.name === "Array" && (before === "[" || before === ",")) {
    path = [...container.path, indexAt(container.node, word.from)];
  }
  if (!path) return null;
  const options = valueOptions(schemasAt(schema, path));
  return options.length ? { from: word.from, to: closingQuoteEnd(state, context.pos), options } : null;
}

/**
 * What is being typed: a key or string from its opening quote (JSON strings do not span lines, so
 * the line tells whether the cursor is inside one), or a bare word (true, 12).
 */
function wordBefore(context: CompletionContext): { from: number; text: string } {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  let openQuote = -1;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === "\\" && openQuote >= 0) i++;
    else if (before[i] === '"') openQuote = openQuote >= 0 ? -1 : i;
  }
  if (openQuote >= 0) return { from: line.from + openQuote, text: before.slice(openQuote) };
  const bare = /[\w.+-]*$/.exec(before)?.[0] ?? "";
  return { from: context.pos - bare.length, text: bare };
}

function keyOptions(schemas: Schema[]): Completion[] {
  const byKey = new Map<string, Completion>();
  for (const s of schemas) {
    for (const [key, property] of Object.entries(s.properties ?? {})) {
      if (byKey.has(key)) continue;
      const isRequired = s.required?.includes(key) ?? false;
      byKey.set(key, {
        label: key,
        type: "property",
        detail: [typeText(property), isRequired ? "required" : ""].filter(Boolean).join(" · "),
        info: property.description,
        boost: isRequired ? 1 : 0,
        apply: (view, _completion, from, to) => applyKey(view, key, property, from, to),
      });
    }
  }
  return [...byKey.values()];
}

/** `"key": ` in place of what was typed (with its quotes), and `""` ready to type into for a string. */
function applyKey(view: EditorView, key: string, property: Schema, from: number, to: number) {
  const { state } = view;
  const start = state.sliceDoc(from - 1, from) === '"' ? from - 1 : from;
  const end = closingQuoteEnd(state, to);
  const isString = property.type === "string" && property.enum === undefined;
  const insert = `${JSON.stringify(key)}: ${isString ? '""' : ""}`;
  view.dispatch({
    changes: { from: start, to: end, insert },
    selection: { anchor: start + insert.length - (isString ? 1 : 0) },
    userEvent: "input.complete",
  });
}

function valueOptions(schemas: Schema[]): Completion[] {
  const values = new Map<string, string | undefined>();
  const add = (value: unknown, detail?: string) => {
    const text = JSON.stringify(value);
    if (text !== undefined && !values.has(text)) values.set(text, detail);
  };
  for (const s of schemas) {
    if (s.const !== undefined) add(s.const);
    for (const option of s.enum ?? []) add(option);
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.includes("boolean")) [true, false].forEach((b) => add(b));
    if (types.includes("null")) add(null);
    if (s.default !== undefined) add(s.default, "default");
  }
  return [...values].map(([label, detail]) => ({ label, type: "constant", detail }));
}

const typeText = (s: Schema) =>
  s.enum
    ? s.enum.map((v) => JSON.stringify(v)).join(" | ")
    : Array.isArray(s.type)
      ? s.type.join(" | ")
      : (s.type ?? "");

function safeKey(text: string): string {
  try {
    return String(JSON.parse(text.endsWith('"') && text.length > 1 ? text : `${text}"`));
  } catch {
    return text.slice(1);
  }
}

function lastCharPos(state: EditorState, pos: number): number {
  const text = state.sliceDoc(Math.max(0, pos - 200), pos);
  const match = /\S(?=\s*$)/.exec(text);
  return match ? pos - text.length + match.index : -1;
}

/** The last character before `pos` that is not white space ("" at the start). */
const lastCharBefore = (state: EditorState, pos: number) => {
  const at = lastCharPos(state, pos);
  return at < 0 ? "" : state.sliceDoc(at, at + 1);
};

/** A quote right after the cursor closes what is typed (closeBrackets added it): replace it too. */
const closingQuoteEnd = (state: EditorState, pos: number) =>
  state.sliceDoc(pos, pos + 1) === '"' ? pos + 1 : pos;
