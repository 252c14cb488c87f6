/**
 * GET /v1/jobs/export (§15), read with fetch: the route needs the bearer token, which a plain link
 * cannot send, and ts-rest cannot model a streamed body. The answer is gathered into a Blob while
 * it arrives (counting bytes and rows for the progress line), then saved through a download link.
 */
import type { ExportFormat } from "@jobdeck/contract";
import { authorizedFetch } from "./api-client";
import type { JobListQuery } from "./query-keys";

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  ndjson: "application/x-ndjson",
  csv: "text/csv",
};

/** The export's address for a view: its format, then the list's filters and sort as the list sends them. */
export function exportPath(query: JobListQuery, format: ExportFormat): string {
  const params = new URLSearchParams({ format });
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === "string" && value !== "") params.set(name, value);
  }
  return `/v1/jobs/export?${params.toString()}`;
}

const twoDigits = (n: number) => String(n).padStart(2, "0");

/** `jobdeck-jobs-2026-12-04.ndjson`: the reader's local date, the format as the extension. */
export function exportFileName(format: ExportFormat, now: Date): string {
  const day = `${now.getFullYear()}-${twoDigits(now.getMonth() + 1)}-${twoDigits(now.getDate())}`;
  return `jobdeck-jobs-${day}.${format}`;
}

export type ExportProgress = { bytes: number; rows: number };

/** The server refused the export: the same `status` and `body` that ts-rest's hooks throw (see toProblem). */
export class ExportRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const NEWLINE = 10;
const QUOTE = 34;

/**
 * Reads the whole export into a Blob, reporting progress after each chunk. Rows are counted by
 * line ends: in CSV only those outside a quoted field (a text field may hold a line break; a
 * doubled quote inside one toggles twice, so the count needs no look-ahead across chunks), and a
 * CSV's header row is not one. Rejects with ExportRefused for an error answer, and with an
 * AbortError when `signal` aborts.
 */
export async function fetchExport({
  query,
  format,
  signal,
  onProgress,
}: {
  query: JobListQuery;
  format: ExportFormat;
  signal: AbortSignal;
  onProgress: (progress: ExportProgress) => void;
}): Promise<{ blob: Blob } & ExportProgress> {
  const response = await authorizedFetch(exportPath(query, format), {
    signal,
    cache: "no-store",
    headers: { accept: `${EXPORT_MEDIA_TYPES[format]}, application/json` },
  });
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new ExportRefused(response.status, body);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let lineEnds = 0;
  let lastByte: number | undefined;
  let isInQuotes = false;
  const isCsv = format === "csv";
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      for (const byte of value) {
        if (isCsv && byte === QUOTE) isInQuotes = !isInQuotes;
        else if (byte === NEWLINE && !isInQuotes) lineEnds++;
      }
      lastByte = value.at(-1);
      onProgress({ bytes, rows: rowsOf(format, lineEnds, false) });
    }
  } finally {
    reader.releaseLock();
  }
  const hasOpenLine = lastByte !== undefined && lastByte !== NEWLINE;
  const rows = rowsOf(format, lineEnds, hasOpenLine);
  onProgress({ bytes, rows });
  return { blob: new Blob(chunks as BlobPart[], { type: EXPORT_MEDIA_TYPES[format] }), bytes, rows };
}

function rowsOf(format: ExportFormat, lineEnds: number, hasOpenLine: boolean): number {
  const lines = lineEnds + (hasOpenLine ? 1 : 0);
  return Math.max(0, format === "csv" ? lines - 1 : lines);
}

/** Hands a Blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the URL after this returns; a minute is long enough, and frees the memory after.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export { formatBytes } from "./format";
