import { LOG_BYTES_MAX, LOG_LINES_MAX } from "@jobdeck/contract";
/**
 * §14's cap, as a pure decision: a job keeps its first lines, up to LOG_LINES_MAX lines and
 * LOG_BYTES_MAX bytes; once a line does not fit, it and every later line are dropped (only counted),
 * so what is kept is always the beginning of the log, never a log with holes.
 */
export function keepWithinCap(state, lines, alsoDropped, caps = { lines: LOG_LINES_MAX, bytes: LOG_BYTES_MAX }) {
    const before = {
        lines: Number(state.lines ?? 0),
        bytes: Number(state.bytes ?? 0),
        droppedLines: Number(state.droppedLines ?? 0),
    };
    let kept = 0;
    let bytes = before.bytes;
    if (before.droppedLines === 0) {
        for (const line of lines) {
            if (before.lines + kept >= caps.lines || bytes + line.bytes > caps.bytes)
                break;
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
//# sourceMappingURL=log-cap.js.map