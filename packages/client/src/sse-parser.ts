/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export type ServerSentEvent = { event: string; data: string; id: string | undefined };

/**
 * An incremental text/event-stream parser: feed it text as it arrives, in chunks cut anywhere.
 * EventSource cannot send an Authorization header, and Node has none, so the stream is read with
 * fetch and parsed here.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;
  /**
   * What to send back as Last-Event-ID: the id as of the last complete event, with data or not (the
   * server sends an id alone to mark a position). An event cut off mid-way does not move it.
   */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for, in ms. */
  retryMs: number | undefined;

  constructor(lastEventId?: string) {
    this.id = lastEventId;
    this.lastEventId = lastEventId;
  }

  feed(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    const lineBreak = /\r\n|\r|\n/g;
    let start = 0;
    let match: RegExpExecArray | null;
    while ((match = lineBreak.exec(this.buffer)) !== null) {
      // A lone \r at the very end may be the first half of a \r\n: wait for the next chunk.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const event = this.line(this.buffer.slice(start, match.index));
      start = match.index + match[0].length;
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    else if (field === "retry" && /^[0-9]+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    this.lastEventId = this.id;
    const event = this.event || "message";
    const data = this.data.join("\n");
    const hasData = this.data.length > 0;
    this.data = [];
    this.event = "";
    return hasData ? { event, data, id: this.id } : undefined;
  }
}
