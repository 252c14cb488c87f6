import { describe, expect, it } from "vitest";
import { exampleFor, validateJson } from "../src/lib/json-schema";

// What GET /v1/job-types publishes for two built-in types (zod-to-json-schema output).
const sleep = {
  type: "object",
  properties: { ms: { type: "integer", minimum: 0, maximum: 600000 } },
  required: ["ms"],
  additionalProperties: false,
};
const httpRequest = {
  type: "object",
  properties: {
    url: { type: "string", format: "uri" },
    method: { type: "string", enum: ["GET", "HEAD", "POST"], default: "GET" },
    headers: { type: "object", additionalProperties: { type: "string" } },
  },
  required: ["url"],
  additionalProperties: false,
};

describe("validateJson", () => {
  it("accepts what the schema accepts", () => {
    expect(validateJson(sleep, { ms: 10 }, "payload")).toEqual([]);
    expect(validateJson(httpRequest, { url: "https://example.com", headers: { a: "b" } }, "payload")).toEqual(
      [],
    );
  });

  it("names every problem by its path, as the API does", () => {
    expect(validateJson(sleep, { ms: 1.5, extra: true }, "payload")).toEqual([
      { path: "payload.ms", message: "must be an integer" },
      { path: "payload.extra", message: "is not an accepted field" },
    ]);
    expect(validateJson(sleep, {}, "payload")).toEqual([{ path: "payload.ms", message: "is required" }]);
    expect(validateJson(sleep, { ms: 700000 }, "payload")).toEqual([
      { path: "payload.ms", message: "must be at most 600000" },
    ]);
    expect(validateJson(sleep, [], "payload")).toEqual([{ path: "payload", message: "must be an object" }]);
    expect(
      validateJson(httpRequest, { url: "not a url", method: "BREW", headers: { a: 1 } }, "payload"),
    ).toEqual([
      { path: "payload.url", message: "must be an absolute URL" },
      { path: "payload.method", message: 'must be one of "GET", "HEAD", "POST"' },
      { path: "payload.headers.a", message: "must be a string" },
    ]);
  });

  it("builds a valid starting payload from a schema", () => {
    expect(exampleFor(sleep)).toEqual({ ms: 0 });
    expect(exampleFor(httpRequest)).toEqual({ url: "https://example.com" });
    expect(validateJson(httpRequest, exampleFor(httpRequest))).toEqual([]);
  });
});
