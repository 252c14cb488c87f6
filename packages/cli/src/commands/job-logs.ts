import { isEnded, type JobAttempt, type JobLogLine, type LogLevel } from "@jobdeck/contract";
import type { JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { timeText } from "../format.js";
import { commaList } from "../input.js";
import type { Output } from "../output.js";

type LogsFlags = JsonFlags & { level?: string[]; follow?: boolean };

function levelText(level: LogLevel, out: Output): string {
  const paint = {
    debug: out.colors.dim,
    info: out.colors.blue,
    warn: out.colors.yellow,
    error: out.colors.red,
  }[level];
  return paint(level.toUpperCase().padEnd(5));
}

function printLine(out: Output, flags: LogsFlags, line: JobLogLine): void {
  if (flags.json || flags.ndjson) {
    out.ndjson(line);
    return;
  }
  const fields = line.fields === null ? "" : ` ${out.colors.dim(JSON.stringify(line.fields))}`;
  out.line(`${line.at}  ${levelText(line.level, out)}  #${line.attempt}  ${line.message}${fields}`);
}

/**
 * A job's log lines, oldest first, every page. With --follow the event stream is opened first (so
 * nothing written meanwhile is missed), the lines written so far are printed, then each new line
 * as it comes, until the job ends: the stream is one ordered sequence, so its lines all come
 * before the event of its end.
 */
export async function showJobLogs(context: Context, jobId: string, flags: LogsFlags): Promise<void> {
  const { out } = context;
  const client = context.client();
  const levels =
    flags.level === undefined
      ? undefined
      : commaList(flags.level)!
          .split(",")
          .map((level) => level.trim());
  let lastSeq = 0;
  let isBacklogDone = false;
  const held: JobLogLine[] = [];
  const show = (line: JobLogLine) => {
    if (line.seq <= lastSeq) return;
    lastSeq = line.seq;
    // The backlog is filtered by the API; live lines here.
    if (levels === undefined || levels.includes(line.level)) printLine(out, flags, line);
  };

  const stop = new AbortController();
  let hasEnded = false;
  let failure: unknown;
  let opened: Promise<void> = Promise.resolve();
  if (flags.follow) {
    let markOpen: () => void = () => undefined;
    opened = new Promise((resolve) => (markOpen = resolve));
    client.events.subscribe({
      signal: stop.signal,
      onOpen: () => markOpen(),
      onLog: ({ jobId: lineJobId, ...line }) => {
        if (lineJobId !== jobId) return;
        if (isBacklogDone) show(line);
        else held.push(line);
      },
      onJob: (job) => {
        if (job.id === jobId && isEnded(job.status) && isBacklogDone) stop.abort();
        else if (job.id === jobId && isEnded(job.status)) hasEnded = true;
      },
      onError: (error, { willReconnect }) => {
        if (!willReconnect) {
          failure = error;
          stop.abort();
        } else out.note(`logs: ${error.message}; reconnecting`);
      },
    });
    await opened;
  }

  const job = (await client.jobs.getJob({ params: { jobId } })).body.data;
  let cursor: string | undefined;
  let dropped = 0;
  do {
    const page = await client.attempts.listJobLogs({
      params: { jobId },
      query: {
        limit: "100",
        ...(cursor === undefined ? {} : { cursor }),
        ...(levels === undefined ? {} : { level: levels.join(",") }),
      },
    });
    for (const line of page.body.data) show(line);
    dropped = page.body.droppedLines;
    cursor = page.body.pagination.nextCursor ?? undefined;
  } while (cursor !== undefined);
  isBacklogDone = true;
  for (const line of held.splice(0)) show(line);
  if (dropped > 0)
    out.note(`${dropped} more lines were dropped: a job keeps its first 10,000 lines and 1 MiB.`);

  if (!flags.follow) return;
  if (isEnded(job.status) || hasEnded) {
    stop.abort();
    return;
  }
  out.note("logs: following (Ctrl-C to stop)");
  const onSignal = () => stop.abort();
  const stopListening = context.io.onInterrupt(onSignal);
  await new Promise<void>((resolve) =>
    stop.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  stopListening();
  if (failure !== undefined) throw failure as Error;
}

export async function showJobAttempts(context: Context, jobId: string, flags: JsonFlags): Promise<void> {
  const { out } = context;
  const attempts: JobAttempt[] = (await context.client().attempts.listJobAttempts({ params: { jobId } })).body
    .data;
  if (flags.json) return out.json(attempts);
  const outcome = (value: JobAttempt["outcome"]) =>
    value === "completed"
      ? out.colors.green(value)
      : value === "running"
        ? out.colors.cyan(value)
        : out.colors.red(value);
  out.table(
    ["ATTEMPT", "OUTCOME", "STARTED", "FINISHED", "WORKER", "ERROR"],
    attempts.map((attempt) => [
      String(attempt.attempt),
      outcome(attempt.outcome),
      timeText(attempt.startedAt, out.isTTY),
      timeText(attempt.finishedAt, out.isTTY),
      attempt.workerId,
      attempt.error ? `${attempt.error.code}: ${attempt.error.message}` : "-",
    ]),
  );
}
