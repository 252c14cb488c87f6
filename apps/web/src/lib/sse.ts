/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export type SseEvent = { event: string; data: string; id: string | undefined };

/**
 * Incremental parser for a text/event-stream. EventSource cannot send an Authorization header, so
 * the dashboard reads the stream with fetch and parses it here. Feed it decoded text as it arrives.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  /** The last event id the server sent: it carries over to later events, as the spec says. */
  private id: string | undefined;
  /**
   * What to send as Last-Event-ID: the id as of the last complete event, data or not (a stream may
   * send an id alone to mark a position). An event cut off mid-way does not move it.
   */
  lastEventId: string | undefined;
  /** A reconnection delay the server asked for, in ms. */
  retryMs: number | undefined;

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let newline: RegExpExecArray | null;
    const lineBreak = /\r\n|\r|\n/g;
    let start = 0;
    while ((newline = lineBreak.exec(this.buffer)) !== null) {
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (newline[0] === "\r" && newline.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, newline.index);
      start = newline.index + newline[0].length;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") {
      this.lastEventId = this.id;
      if (this.data.length === 0) {
        this.event = "";
        return undefined;
      }
      const event = { event: this.event || "message", data: this.data.join("\n"), id: this.id };
      this.data = [];
      this.event = "";
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) {
          this.id = value;
        }
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
    }
    return undefined;
  }
}
