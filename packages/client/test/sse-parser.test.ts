import { describe, expect, it } from "vitest";
import { SseParser } from "../src/sse-parser.js";

const STREAM =
  'retry: 2000\n: connected\n\nid: 7\nevent: ready\ndata: {}\n\nid: 8\r\nevent: job\r\ndata: {"a":1}\r\n\r\n: heartbeat\n\nid: 9\ndata: line one\ndata: line two\n\nid: 10\n\n';

describe("SseParser", () => {
  it("reads events, ids, retry and comments, whatever the line endings", () => {
    const parser = new SseParser();
    expect(parser.feed(STREAM)).toEqual([
      { event: "ready", data: "{}", id: "7" },
      { event: "job", data: '{"a":1}', id: "8" },
      { event: "message", data: "line one\nline two", id: "9" },
    ]);
    expect(parser.retryMs).toBe(2000);
    // An id alone marks a position: it is where to resume, though no event carried it.
    expect(parser.lastEventId).toBe("10");
  });

  it("gives the same events however the stream is cut into chunks", () => {
    const whole = new SseParser().feed(STREAM);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const events = [];
      for (let at = 0; at < STREAM.length; at += size)
        events.push(...parser.feed(STREAM.slice(at, at + size)));
      expect(events, `chunks of ${size}`).toEqual(whole);
    }
  });

  it("does not move lastEventId for an event cut off mid-way", () => {
    const parser = new SseParser("3");
    expect(parser.feed("id: 4\nevent: job\ndata: {")).toEqual([]);
    expect(parser.lastEventId).toBe("3");
  });
});
