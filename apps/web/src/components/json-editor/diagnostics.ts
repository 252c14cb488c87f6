/**
 * What is wrong with the payload, at the place it is wrong: JSON syntax first, then the type's
 * schema, by the same checks the form runs before sending (lib/json-schema.ts), so that the marks
 * in the text and the list under the field never disagree.
 */
import type { Diagnostic } from "@codemirror/lint";
import type { EditorState } from "@codemirror/state";
import { validateJson } from "../../lib/json-schema";
import { fullTree, rangeOfPath, splitPath } from "./json-tree-paths";

export function jsonDiagnostics(state: EditorState, schema: unknown): Diagnostic[] {
  const text = state.doc.toString();
  // An empty field is said once, by the form ("is required"), not as a syntax error at its start.
  if (text.trim() === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const from = syntaxErrorAt(state, (error as Error).message);
    return [
      {
        from,
        to: Math.min(from + 1, state.doc.length),
        severity: "error",
        source: "JSON",
        message: `Not valid JSON: ${shortMessage((error as Error).message)}`,
      },
    ];
  }
  if (schema === undefined) return [];
  const tree = fullTree(state);
  return validateJson(schema, value).map((issue) => ({
    ...rangeOfPath(state, tree, splitPath(issue.path)),
    severity: "error",
    source: "schema",
    message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
  }));
}

/**
 * Where the JSON goes wrong: V8 names the position for most errors ("… in JSON at position 9");
 * for the others (an unexpected token), the parser's first error node, which is the same place.
 */
function syntaxErrorAt(state: EditorState, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Math.min(Number(position[1]), state.doc.length);
  let at: number | undefined;
  fullTree(state).iterate({
    enter: (node) => {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at ?? state.doc.length;
}

/** V8 repeats the whole input in some messages (`Unexpected token ']', "[1,]" is not valid JSON`). */
const shortMessage = (message: string) => message.replace(/, ".*" is not valid JSON$/s, "");
