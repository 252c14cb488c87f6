import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createHttpServer } from "../src/http/server.js";
import { startTestServer } from "./support/server.js";

describe("slow and oversized requests", () => {
  it("answers 408 in the error shape to a client that never finishes its headers", async () => {
    const { createApp } = await import("../src/app.js");
    const server = await startTestServer("sqlite");
    const slow = createHttpServer(createApp(server.runtime), {
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    try {
      const { connect } = await import("node:net");
      const socket = connect((slow.address() as AddressInfo).port, "127.0.0.1");
      socket.write("GET /v1/jobs?limit=1 HTTP/1.1\r\nHost: x\r\n");
      const answer = await new Promise<string>((resolve) => {
        let text = "";
        socket.on("data", (chunk) => (text += chunk.toString()));
        socket.on("close", () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as unknown;
      expect(body).toMatchObject({
        success: false,
        error: { code: "REQUEST_TIMEOUT", message: "The request took too long to arrive" },
      });
    } finally {
      await new Promise((resolve) => slow.close(resolve));
      await server.close();
    }
  });
});
