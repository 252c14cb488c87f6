/**
 * Where a JSON path is in the editor's syntax tree, and which path a place in the text is at: the
 * link between the schema's words (payload.items.0.url) and the text the reader sees.
 */
import { ensureSyntaxTree, syntaxTree } from "@codemirror/language";
import type { EditorState } from "@codemirror/state";
import type { SyntaxNode, Tree } from "@lezer/common";
import type { Schema } from "../../lib/json-schema";

export type PathSegment = string | number;

/** The whole document's tree (JSON parses in a few milliseconds; the budget is for a huge one). */
export const fullTree = (state: EditorState): Tree =>
  ensureSyntaxTree(state, state.doc.length, 200) ?? syntaxTree(state);

const VALUE_NODES = new Set(["Object", "Array", "String", "Number", "True", "False", "Null"]);
const valuesOf = (node: SyntaxNode) => {
  const values: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling)
    if (VALUE_NODES.has(child.name)) values.push(child);
  return values;
};

/** A PropertyName's key, as JSON.parse would read it. */
export function keyOf(state: EditorState, name: SyntaxNode): string {
  const text = state.sliceDoc(name.from, name.to);
  try {
    return String(JSON.parse(text));
  } catch {
    return text.replace(/^"|"$/g, "");
  }
}

/**
 * The text to mark for a path: the value there, or its property from the key on when the path ends
 * at a property (its name is what a reader looks for), or an object's or array's opening bracket
 * rather than all of it. A path that goes missing (a required key) marks the deepest part found.
 */
export function rangeOfPath(
  state: EditorState,
  tree: Tree,
  path: PathSegment[],
): { from: number; to: number } {
  let node = valuesOf(tree.topNode)[0];
  if (!node) return { from: 0, to: Math.min(1, state.doc.length) };
  let property: SyntaxNode | undefined;
  for (const segment of path) {
    let next: SyntaxNode | undefined;
    if (node.name === "Object") {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        const name = child.name === "Property" ? child.getChild("PropertyName") : null;
        if (name && keyOf(state, name) === String(segment)) {
          property = child;
          next = valuesOf(child)[0];
        }
      }
    } else if (node.name === "Array" && typeof segment === "number") {
      property = undefined;
      next = valuesOf(node)[segment];
    }
    if (!next) {
      property = undefined;
      break;
    }
    node = next;
  }
  const isContainer = node.name === "Object" || node.name === "Array";
  const start = property?.getChild("PropertyName") ?? node;
  return { from: start.from, to: isContainer ? (start === node ? node.from + 1 : start.to) : node.to };
}

/** "items.0.url" as ["items", 0, "url"] (the validator's paths: a key with a dot is ambiguous there). */
export const splitPath = (path: string): PathSegment[] =>
  path === "" ? [] : path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/** The innermost object or array that `pos` is inside of, and the path to it from the top. */
export function containerAt(tree: Tree, state: EditorState, pos: number) {
  let node: SyntaxNode | null = tree.resolveInner(pos, -1);
  while (node && !((node.name === "Object" || node.name === "Array") && node.from < pos)) node = node.parent;
  if (!node) return undefined;
  const path: PathSegment[] = [];
  for (let child: SyntaxNode = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.name === "Property") {
      const name = parent.getChild("PropertyName");
      if (name) path.unshift(keyOf(state, name));
    } else if (parent.name === "Array") {
      path.unshift(valuesOf(parent).findIndex((value) => value.from === child.from));
    }
  }
  return { node, path };
}

/** The keys an object already has. */
export function keysOf(state: EditorState, object: SyntaxNode): string[] {
  const keys: string[] = [];
  for (let child = object.firstChild; child; child = child.nextSibling) {
    const name = child.name === "Property" ? child.getChild("PropertyName") : null;
    if (name) keys.push(keyOf(state, name));
  }
  return keys;
}

/** How many values of an array come before `pos`: the index of the one being written there. */
export const indexAt = (array: SyntaxNode, pos: number) => valuesOf(array).filter((v) => v.to <= pos).length;

/** A schema and every part it combines (allOf, and each alternative of anyOf/oneOf). */
function expand(schema: unknown, depth = 0): Schema[] {
  if (typeof schema !== "object" || schema === null || depth > 8) return [];
  const s = schema as Schema;
  return [
    s,
    ...[...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((part) =>
      expand(part, depth + 1),
    ),
  ];
}

/** Every schema that can apply at `path`: one per alternative where the schema offers a choice. */
export function schemasAt(root: unknown, path: PathSegment[]): Schema[] {
  let current = expand(root);
  for (const segment of path) {
    current = current.flatMap((s) => {
      if (typeof segment === "number") return expand(Array.isArray(s.items) ? s.items[segment] : s.items);
      const property = s.properties?.[segment];
      if (property) return expand(property);
      return typeof s.additionalProperties === "object" ? expand(s.additionalProperties) : [];
    });
  }
  return current;
}
