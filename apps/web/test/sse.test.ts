import { describe, expect, it } from "vitest";
import { SseParser } from "../src/lib/sse";

describe("SseParser", () => {
  it("parses events split across chunks, with ids that carry over", () => {
    const parser = new SseParser();
    expect(parser.feed('event: job\nid: 7\ndata: {"a"')).toEqual([]);
    expect(parser.feed(":1}\n\n: keep-alive\n\nevent: job\r\ndata: {}\r\n\r\nretry: 5000\n")).toEqual([
      { event: "job", data: '{"a":1}', id: "7" },
      { event: "job", data: "{}", id: "7" },
    ]);
    expect(parser.retryMs).toBe(5000);
  });

  it("joins multi-line data and defaults the event name", () => {
    const parser = new SseParser();
    expect(parser.feed("data: one\ndata:two\n\n")).toEqual([
      { event: "message", data: "one\ntwo", id: undefined },
    ]);
  });

  it("waits for the \\n of a \\r\\n split between chunks", () => {
    const parser = new SseParser();
    expect(parser.feed("data: x\r")).toEqual([]);
    expect(parser.feed("\n\r\n")).toEqual([{ event: "message", data: "x", id: undefined }]);
  });
});
