import { LOG_BYTES_MAX, LOG_LINES_MAX } from "@jobdeck/contract";

/** How far a job's log has come: its job_log_counters row (null columns: none yet) and its owner. */
export type LogState = {
  userId: string;
  type: string;
  queue: string;
  lines: number | string | null;
  bytes: number | string | null;
  droppedLines: number | string | null;
};

export type CapDecision = {
  /** How many of the new lines, from the first, are kept. */
  kept: number;
  /** The seq of the first kept line. */
  firstSeq: number;
  /** The job's counters after these lines. */
  counter: { lines: number; bytes: number; droppedLines: number };
};

/**
 * §14's cap, as a pure decision: a job keeps its first lines, up to LOG_LINES_MAX lines and
 * LOG_BYTES_MAX bytes; once a line does not fit, it and every later line are dropped (only counted),
 * so what is kept is always the beginning of the log, never a log with holes.
 */
export function keepWithinCap(
  state: Pick<LogState, "lines" | "bytes" | "droppedLines">,
  lines: readonly { bytes: number }[],
  alsoDropped: number,
  caps = { lines: LOG_LINES_MAX, bytes: LOG_BYTES_MAX },
): CapDecision {
  const before = {
    lines: Number(state.lines ?? 0),
    bytes: Number(state.bytes ?? 0),
    droppedLines: Number(state.droppedLines ?? 0),
  };
  let kept = 0;
  let bytes = before.bytes;
  if (before.droppedLines === 0) {
    for (const line of lines) {
      if (before.lines + kept >= caps.lines || bytes + line.bytes > caps.bytes) break;
      bytes += line.bytes;
      kept++;
    }
  }
  return {
    kept,
    firstSeq: before.lines + 1,
    counter: {
      lines: before.lines + kept,
      bytes,
      droppedLines: before.droppedLines + lines.length - kept + alsoDropped,
    },
  };
}
