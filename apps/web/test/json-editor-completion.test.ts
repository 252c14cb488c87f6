import { CompletionContext, type Completion } from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { completeFromSchema, jsonSchemaFacet } from "../src/components/json-editor/completion";

const SCHEMA = {
  type: "object",
  properties: {
    url: { type: "string", format: "uri", description: "Where to send the request." },
    method: { type: "string", enum: ["GET", "POST"], default: "GET" },
    follow: { type: "boolean" },
    headers: {
      type: "object",
      properties: { accept: { type: "string" } },
      additionalProperties: { type: "string" },
    },
    retries: { type: "array", items: { type: "object", properties: { delayMs: { type: "integer" } } } },
  },
  required: ["url"],
  additionalProperties: false,
};

/** The completion at "|" in `doc` (the bar is removed), as what the options would insert and say. */
function complete(doc: string, { explicit = false } = {}) {
  const pos = doc.indexOf("|");
  const state = EditorState.create({
    doc: doc.replace("|", ""),
    extensions: [json(), jsonSchemaFacet.of(SCHEMA)],
  });
  const result = completeFromSchema(new CompletionContext(state, pos, explicit));
  if (!result) return undefined;
  return {
    typed: state.sliceDoc(result.from, pos),
    labels: result.options.map((o: Completion) => o.label),
    options: result.options,
  };
}

describe("completion from the type's JSON Schema", () => {
  it("offers an object's keys after an opening quote, required first, with type and description", () => {
    const result = complete('{ "|" }');
    expect(result?.labels).toEqual(["url", "method", "follow", "headers", "retries"]);
    expect(result?.typed).toBe("");
    expect(result?.options[0]).toMatchObject({
      detail: "string · required",
      info: "Where to send the request.",
      boost: 1,
    });
    expect(result?.options[1]).toMatchObject({ detail: '"GET" | "POST"' });
  });

  it("leaves out the keys the object already has, and matches against what is typed", () => {
    const result = complete('{\n  "url": "https://a.example",\n  "me|"\n}');
    expect(result?.labels).not.toContain("url");
    expect(result?.typed).toBe("me");
  });

  it("offers a field's allowed values after its colon: enum and default, booleans", () => {
    expect(complete('{ "method": "|" }')?.labels).toEqual(['"GET"', '"POST"']);
    expect(complete('{\n  "url": "https://a.example",\n  "method": "PO|"\n}')).toMatchObject({
      typed: '"PO',
      labels: ['"GET"', '"POST"'],
    });
    expect(complete('{ "follow": t| }')?.labels).toEqual(["true", "false"]);
  });

  it("goes into nested objects and array items", () => {
    expect(complete('{ "headers": { "|" } }')?.labels).toEqual(["accept"]);
    expect(complete('{ "retries": [ { "delayMs": 1 }, { "|" } ] }')?.labels).toEqual(["delayMs"]);
  });

  it("stays quiet where nothing was typed unless asked, and where the schema has nothing to offer", () => {
    expect(complete("{ | }")).toBeUndefined();
    expect(complete("{ | }", { explicit: true })?.labels).toContain("url");
    expect(complete('{ "url": "ht|" }')).toBeUndefined();
  });
});
