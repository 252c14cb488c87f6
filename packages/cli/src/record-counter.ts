import { Transform } from "node:stream";
import type { ExportFormat } from "@jobdeck/contract";

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Counts the jobs of an export as its bytes pass: NDJSON has one per line (JSON escapes newlines
 * inside strings); CSV one per record after the header, where a newline inside a quoted field is
 * not a record's end. A doubled quote ("") toggles twice, so the quote state stays right across
 * chunk boundaries without looking ahead.
 */
export function recordCounter(format: ExportFormat) {
  let newlines = 0;
  let bytes = 0;
  let isQuoted = false;
  return {
    push(chunk: Buffer): void {
      bytes += chunk.byteLength;
      if (format === "ndjson") {
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) newlines++;
        return;
      }
      for (const byte of chunk) {
        if (byte === QUOTE) isQuoted = !isQuoted;
        else if (byte === NEWLINE && !isQuoted) newlines++;
      }
    },
    get jobs(): number {
      return format === "csv" ? Math.max(0, newlines - 1) : newlines;
    },
    get bytes(): number {
      return bytes;
    },
  };
}

export type RecordCounter = ReturnType<typeof recordCounter>;

/** Passes bytes through unchanged, counting them; `onChunk` after each (for a progress line). */
export function countingStream(counter: RecordCounter, onChunk: () => void = () => undefined): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counter.push(chunk);
      onChunk();
      done(null, chunk);
    },
  });
}

/** 1536 → "1.5 KiB": for a person reading the progress line. */
export function byteSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? `${size} B` : `${size.toFixed(1)} ${units[unit]}`;
}
