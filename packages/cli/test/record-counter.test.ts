import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { byteSize, recordCounter } from "../src/record-counter.js";

/** The progress line's count, from the bytes alone, however the stream cuts them into chunks. */
describe("recordCounter", () => {
  const chunked = (text: string, size: number) => {
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
    return chunks;
  };

  it("counts CSV records after the header, not the line breaks inside quoted fields, across any chunking", () => {
    const csv =
      'id,payload,tags\r\n1,"{""text"":""a\r\nb""}",[]\r\n2,"{""q"":""\\"",""x"":1}","[""a,b""]"\r\n3,{},\r\n';
    // What a CSV parser reads in it: the header and three records.
    expect(parse(csv)).toHaveLength(4);
    for (const size of [1, 2, 3, 7, 64]) {
      const counter = recordCounter("csv");
      for (const chunk of chunked(csv, size)) counter.push(chunk);
      expect([size, counter.jobs]).toEqual([size, 3]);
      expect(counter.bytes).toBe(Buffer.byteLength(csv));
    }
    const headerOnly = recordCounter("csv");
    headerOnly.push(Buffer.from("id,type\r\n"));
    expect(headerOnly.jobs).toBe(0);
  });

  it("counts NDJSON lines (JSON escapes the newlines inside strings)", () => {
    const ndjson = `${JSON.stringify({ text: "a\nb" })}\n${JSON.stringify({ n: 2 })}\n`;
    const counter = recordCounter("ndjson");
    for (const chunk of chunked(ndjson, 5)) counter.push(chunk);
    expect(counter.jobs).toBe(2);
  });

  it("says sizes as a person reads them", () => {
    expect([0, 1023, 1536, 5 * 1024 * 1024].map(byteSize)).toEqual(["0 B", "1023 B", "1.5 KiB", "5.0 MiB"]);
  });
});
