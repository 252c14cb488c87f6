import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { EXPORT_FORMATS, type ExportFormat } from "@jobdeck/contract";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { act, examples } from "../command-kit.js";
import type { Context } from "../context.js";
import { CommandExit, EXIT } from "../exit-codes.js";
import {
  addJobFilterOptions,
  addSortOptions,
  jobFilterQuery,
  type JobFilterFlags,
  type SortFlags,
} from "../job-filters.js";
import type { Io } from "../output.js";
import { byteSize, countingStream, recordCounter } from "../record-counter.js";
import { openWholeFile } from "../whole-file.js";

type ExportFlags = JobFilterFlags & SortFlags & { format?: ExportFormat; output?: string };

/** --format when given; else csv for an --output named *.csv, and NDJSON otherwise. */
export const exportFormatOf = (flags: Pick<ExportFlags, "format" | "output">): ExportFormat =>
  flags.format ?? (flags.output?.toLowerCase().endsWith(".csv") ? "csv" : "ndjson");

/**
 * GET /v1/jobs/export, piped as it arrives to the file or standard output: the body is never held
 * whole, and a slow writer slows the reading down (pipeline's backpressure reaches the socket, and
 * the server reads its next page only when asked). On a terminal stderr shows a line of jobs and
 * bytes so far.
 */
async function exportJobs(context: Context, flags: ExportFlags): Promise<void> {
  const { io, out } = context;
  const format = exportFormatOf(flags);
  const filters = jobFilterQuery(flags);
  const file =
    flags.output === undefined || flags.output === "-"
      ? undefined
      : await openWholeFile(flags.output, "--output");
  const stop = new AbortController();
  const onSignal = () =>
    stop.abort(
      new CommandExit(
        EXIT.apiError,
        file ? `Export interrupted; ${flags.output} was left as it was.` : "Export interrupted.",
      ),
    );
  const stopListening = io.onInterrupt(onSignal);

  const counter = recordCounter(format);
  const isTTY = io.stderr.isTTY === true;
  const bar = isTTY
    ? new SingleBar({
        format: `Exporting ${format}: {value} jobs, {size}`,
        stream: io.stderr,
        hideCursor: true,
        etaBuffer: 1,
      })
    : undefined;
  const showProgress = () => bar?.update(counter.jobs, { size: byteSize(counter.bytes) });
  try {
    const body = await context.client().jobs.export(filters, { format, signal: stop.signal });
    bar?.start(0, 0, { size: byteSize(0) });
    // The DOM's ReadableStream and Node's are one class at run time; only their types differ.
    const source = Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>);
    const counting = countingStream(counter, showProgress);
    if (file) {
      await pipeline(source, counting, file.stream, { signal: stop.signal });
      await file.commit();
    } else {
      await pipeline(source, counting, io.stdout as Writable, { end: false, signal: stop.signal });
    }
  } catch (error) {
    await file?.discard();
    if (stop.signal.aborted) throw stop.signal.reason;
    // A reader that stopped early (`| head`): what it wanted was written.
    if ((error as NodeJS.ErrnoException).code === "EPIPE") return;
    throw error;
  } finally {
    stopListening();
    if (bar) {
      showProgress();
      bar.stop();
    }
  }
  if (file) out.note(`Exported ${counter.jobs} jobs (${byteSize(counter.bytes)}) to ${flags.output}`);
}

export function exportCommand(io: Io): Command {
  const command = addSortOptions(
    addJobFilterOptions(
      new Command("export").description(
        "every job the filters match, in the list's order, as NDJSON or CSV, streamed to standard output or a file",
      ),
    ),
  )
    .addOption(
      new Option(
        "--format <format>",
        "ndjson: one job (JSON) per line; csv: a header row of the job's fields, objects as JSON (default: csv for an --output *.csv, else ndjson)",
      ).choices(EXPORT_FORMATS),
    )
    .option(
      "-o, --output <file>",
      "write to this file, replaced only once the export is complete (default: standard output)",
    )
    .action(act(io, exportJobs));
  return examples(command, [
    "jobdeck export --status failed --created-from 7d --output failed.csv",
    "jobdeck export --type http.request --metadata team=billing --format ndjson | jq -r .id",
    "jobdeck export --tag batch:7 --sort-by updatedAt --sort-order asc -o batch-7.ndjson",
  ]);
}
