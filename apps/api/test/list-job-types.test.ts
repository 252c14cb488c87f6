import { serveSuite } from "./support/suite.js";
import { ListJobTypesResponseSchema } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { testProviders } from "./support/databases.js";

const providers = await testProviders();

describe.each(providers)("GET /v1/job-types on %s", (provider) => {
  const suite = serveSuite(provider);

  it("lists the five built-in types with JSON Schemas of their payloads", async () => {
    const response = await suite.server.request("/v1/job-types", { token: suite.alice });
    expect(response.status).toBe(200);
    const body = ListJobTypesResponseSchema.parse(response.body);
    expect(body.message).toBe("Job types retrieved");
    expect(body.data.map((t) => [t.type, t.resultType])).toEqual([
      ["echo", "json"],
      ["sleep", "json"],
      ["markdown.render", "html"],
      ["http.request", "json"],
      ["image.thumbnail", "image"],
    ]);
    const sleep = body.data.find((t) => t.type === "sleep")!;
    expect(sleep.payloadSchema).toEqual({
      type: "object",
      properties: { ms: { type: "integer", minimum: 0, maximum: 600000 } },
      required: ["ms"],
      additionalProperties: false,
    });
    // Checks clients can make before sending are published, not only enforced by the server.
    const properties = (type: string) =>
      (
        body.data.find((t) => t.type === type)!.payloadSchema as {
          properties: Record<string, Record<string, unknown>>;
        }
      ).properties;
    expect(properties("http.request").url).toMatchObject({
      type: "string",
      format: "uri",
      pattern: "^https?:\\/\\/",
    });
    expect(properties("image.thumbnail").source).toMatchObject({
      type: "string",
      pattern: expect.stringContaining("data:image"),
    });
    expect(properties("markdown.render").markdown).toMatchObject({ type: "string", maxLength: 262144 });
    for (const t of body.data) {
      expect(t.maxAttempts).toBeGreaterThanOrEqual(1);
      expect(t.timeoutMs).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(0);
    }
  });
});
