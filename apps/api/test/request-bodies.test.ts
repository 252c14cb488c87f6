import { JobResponseSchema } from "@jobdeck/contract";
import { deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectNoWrites } from "./support/assertions.js";
import { startTestServer, type TestServer } from "./support/server.js";

/** How request bodies are read, whatever the route: the database plays no part (SQLite here). */
describe("request bodies", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    token = server.token("alice");
  });
  afterAll(() => server.close());

  const post = (body: Buffer | string, encoding: string) =>
    server.request("/v1/jobs", {
      method: "POST",
      token,
      headers: { "content-type": "application/json", "content-encoding": encoding },
      body,
    });
  const job = JSON.stringify({ type: "echo", payload: { compressed: true } });

  it("reads bodies sent with Content-Encoding gzip or deflate", async () => {
    for (const [encoding, body] of [
      ["gzip", gzipSync(job)],
      ["deflate", deflateSync(job)],
    ] as const) {
      const response = await post(body, encoding);
      expect(response.status, response.text).toBe(201);
      expect(JobResponseSchema.parse(response.body).data.payload).toEqual({ compressed: true });
    }
  });

  it("answers 400 for a body that is not what its Content-Encoding says, writing nothing", async () => {
    for (const encoding of ["gzip", "deflate"]) {
      const response = await expectNoWrites(server.prisma, () => post(job, encoding));
      expectError(response, 400, "VALIDATION_FAILED", {
        details: [{ path: "body", message: "could not be decompressed as its Content-Encoding says" }],
      });
    }
  });

  it("answers 415 naming the encodings it reads for any other Content-Encoding", async () => {
    for (const encoding of ["br", "x-unknown"]) {
      expectError(await post(job, encoding), 415, "UNSUPPORTED_MEDIA_TYPE", {
        message: "Content-Encoding must be identity, gzip or deflate",
      });
    }
  });
});
