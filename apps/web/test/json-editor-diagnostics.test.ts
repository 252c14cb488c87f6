import { json } from "@codemirror/lang-json";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { jsonDiagnostics } from "../src/components/json-editor/diagnostics";

const SCHEMA = {
  type: "object",
  properties: {
    ms: { type: "integer", minimum: 0 },
    items: {
      type: "array",
      items: { type: "object", properties: { url: { type: "string", format: "uri" } } },
    },
  },
  required: ["ms"],
  additionalProperties: false,
};

/** Each mark as the text it covers, its line and its message. */
function marks(doc: string, schema: unknown = SCHEMA) {
  const state = EditorState.create({ doc, extensions: [json()] });
  return jsonDiagnostics(state, schema).map((d) => ({
    text: state.sliceDoc(d.from, d.to),
    line: state.doc.lineAt(d.from).number,
    message: d.message,
  }));
}

describe("the payload editor's marks", () => {
  it("marks a schema issue at the value it is about, on its line", () => {
    expect(marks('{\n  "ms": -5\n}')).toEqual([
      { text: '"ms": -5', line: 2, message: "ms: must be at least 0" },
    ]);
  });

  it("marks a field the schema does not accept by its key, and a missing one at its object", () => {
    expect(marks('{\n  "extra": { "a": 1 }\n}')).toEqual([
      { text: "{", line: 1, message: "ms: is required" },
      { text: '"extra"', line: 2, message: "extra: is not an accepted field" },
    ]);
  });

  it("follows arrays to the item that is wrong", () => {
    expect(
      marks('{ "ms": 1,\n  "items": [\n    { "url": "https://a.example" },\n    { "url": "nope" }\n  ]\n}'),
    ).toEqual([{ text: '"url": "nope"', line: 4, message: "items.1.url: must be an absolute URL" }]);
  });

  it("marks a syntax error where the JSON goes wrong, whether or not the engine names the position", () => {
    // V8: "Expected ',' or '}' after property value in JSON at position 14".
    expect(marks('{\n  "ms": 1\n  "x": 2\n}')).toEqual([
      { text: '"', line: 3, message: expect.stringMatching(/^Not valid JSON: /) as string },
    ]);
    // V8: "Unexpected token ']', "[1,]" is not valid JSON": no position, and the input is not repeated.
    const [trailing] = marks('{ "ms": [1,\n] }');
    expect(trailing).toMatchObject({ line: 2, text: "]" });
    expect(trailing?.message).not.toContain("[1,");
  });

  it("says nothing about an empty field (the form says it is required) or without a schema", () => {
    expect(marks("  ")).toEqual([]);
    expect(marks('{ "anything": true }', null)).toEqual([]);
  });
});
