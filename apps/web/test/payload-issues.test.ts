import { describe, expect, it } from "vitest";
import { checkPayload, issueText, issuesByField, parsePayload } from "../src/features/jobs/payload-issues";

const schema = {
  type: "object",
  properties: { ms: { type: "integer", minimum: 0 } },
  required: ["ms"],
  additionalProperties: false,
};

describe("payload issues", () => {
  it("reads the text as JSON, or says why not", () => {
    expect(parsePayload('{ "ms": 5 }')).toEqual({ value: { ms: 5 } });
    expect(parsePayload("  ")).toEqual({ error: "is required: enter a JSON value" });
    expect(parsePayload("{ ms: 5 }").error).toMatch(/^is not valid JSON: /);
  });

  it("checks the JSON first, then the type's schema", () => {
    expect(checkPayload(parsePayload("{"), schema)).toEqual([
      { path: "payload", message: expect.stringMatching(/^is not valid JSON/) },
    ]);
    expect(checkPayload(parsePayload('{ "ms": -1, "extra": true }'), schema)).toEqual([
      { path: "payload.ms", message: "must be at least 0" },
      { path: "payload.extra", message: "is not an accepted field" },
    ]);
    expect(checkPayload(parsePayload('{ "ms": 5 }'), schema)).toEqual([]);
    expect(checkPayload(parsePayload("[]"), undefined)).toEqual([]);
  });

  it("sorts the server's details to the field they name", () => {
    const details = [
      { path: "type", message: "is not a registered job type" },
      { path: "payload", message: "must be an object" },
      { path: "payload.url", message: "must be an absolute URL" },
      { path: "payloadSize", message: "too large" },
      { path: "", message: "body must be JSON" },
    ];
    expect(issuesByField(details)).toEqual({
      type: [details[0]],
      payload: [details[1], details[2]],
      form: [details[3], details[4]],
    });
  });

  it("names an issue inside the payload by its path there", () => {
    expect(issueText({ path: "payload", message: "must be an object" })).toBe("must be an object");
    expect(issueText({ path: "payload.items.0", message: "is required" })).toBe("items.0: is required");
    expect(issueText({ path: "type", message: "is unknown" })).toBe("type: is unknown");
  });
});
