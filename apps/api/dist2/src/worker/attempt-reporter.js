import { setTimeout as delay } from "node:timers/promises";
import { LOG_LEVELS, LOG_LINES_MAX, LOG_MESSAGE_MAX } from "@jobdeck/contract";
/**
 * What a running attempt reports besides its outcome (§14): `ctx.progress` and `ctx.log`. Neither
 * waits for the database: progress is coalesced to one write per PROGRESS_INTERVAL_MS (at most 4 a
 * second per job, each a change of the job with its `job` event), and lines are buffered and written
 * many at a time (one transaction, one INSERT, per flush). Every write is fenced: once one finds the
 * lease gone, the reporter stops writing and tells the attempt.
 */
export const PROGRESS_INTERVAL_MS = 250;
/** A buffered line waits at most this long before its flush starts. */
const LOG_FLUSH_MS = 100;
/** Lines per flush, at most. */
const LOG_FLUSH_LINES = 500;
/** A message as stored: at most LOG_MESSAGE_MAX characters, never a cut surrogate pair, no NUL (PostgreSQL refuses it). */
export function cleanLogMessage(message) {
    let text = message.length > LOG_MESSAGE_MAX ? message.slice(0, LOG_MESSAGE_MAX) : message;
    if (text.length === LOG_MESSAGE_MAX && /[\uD800-\uDBFF]$/.test(text))
        text = text.slice(0, -1);
    return text.replace(/\u0000/g, "\uFFFD");
}
/** A line as the store takes it: the message cleaned and cut, the fields as JSON, its size in the cap. */
export function newLogLine(level, message, fields, at) {
    const text = cleanLogMessage(message);
    const fieldsText = fields === undefined ? null : JSON.stringify(fields);
    return {
        level,
        message: text,
        fields: fieldsText,
        at,
        bytes: Buffer.byteLength(text) + (fieldsText === null ? 0 : Buffer.byteLength(fieldsText)),
    };
}
const isPlainObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const isFiniteNumber = (value) => typeof value === "number" && Number.isFinite(value);
export function createAttemptReporter({ store, fence, logger, onFenceLost, now = Date.now, }) {
    let isOpen = true;
    let isLost = false;
    // Progress: the newest value not yet written, and when the last write started.
    let pendingProgress;
    let lastProgressAt = Number.NEGATIVE_INFINITY;
    let progressTimer;
    let progressWrite = Promise.resolve();
    // Lines: those waiting for a flush, and lines past what any flush could keep.
    let lines = [];
    let overflow = 0;
    let flushTimer;
    let flushing = Promise.resolve();
    const stop = () => {
        isOpen = false;
        isLost = true;
        lines = [];
        overflow = 0;
        pendingProgress = undefined;
        clearTimeout(progressTimer);
        clearTimeout(flushTimer);
    };
    const lose = () => {
        if (isLost)
            return;
        stop();
        onFenceLost();
    };
    /**
     * Queues a write of the newest value. Each write starts at least PROGRESS_INTERVAL_MS after the one
     * before (measured where it really starts, so a slow write cannot bunch the next ones up), and
     * takes whatever value is newest by then.
     */
    const writeProgress = () => {
        clearTimeout(progressTimer);
        progressTimer = undefined;
        progressWrite = progressWrite.then(async () => {
            for (let wait; (wait = lastProgressAt + PROGRESS_INTERVAL_MS - now()) > 0;)
                await delay(wait);
            const value = pendingProgress;
            if (value === undefined || isLost)
                return;
            pendingProgress = undefined;
            lastProgressAt = now();
            try {
                if (!(await store.setProgress(fence, value, new Date(lastProgressAt))))
                    lose();
            }
            catch (error) {
                logger.warn({ err: error }, "could not write the job's progress");
            }
        });
        return progressWrite;
    };
    const flushLines = () => {
        clearTimeout(flushTimer);
        flushTimer = undefined;
        flushing = flushing.then(async () => {
            while (!isLost && (lines.length > 0 || overflow > 0)) {
                const batch = lines.splice(0, LOG_FLUSH_LINES);
                const dropped = lines.length === 0 ? overflow : 0;
                if (lines.length === 0)
                    overflow = 0;
                try {
                    if (!(await store.appendLogs(fence, batch, dropped, new Date())))
                        lose();
                }
                catch (error) {
                    logger.warn({ err: error, lines: batch.length }, "could not write the job's log lines");
                }
            }
        });
        return flushing;
    };
    return {
        progress(current, total, message) {
            if (!isFiniteNumber(current))
                throw new TypeError("progress: current must be a finite number");
            if (total !== undefined && total !== null && !isFiniteNumber(total))
                throw new TypeError("progress: total must be a finite number or null");
            if (message !== undefined && message !== null && typeof message !== "string")
                throw new TypeError("progress: message must be a string or null");
            if (!isOpen || isLost)
                return;
            pendingProgress = JSON.stringify({
                current,
                total: total ?? null,
                message: message === undefined || message === null ? null : cleanLogMessage(message),
                updatedAt: new Date(now()).toISOString(),
            });
            if (progressTimer)
                return;
            progressTimer = setTimeout(() => void writeProgress(), Math.max(0, lastProgressAt + PROGRESS_INTERVAL_MS - now()));
        },
        log(level, message, fields) {
            if (!LOG_LEVELS.includes(level))
                throw new TypeError(`log: level must be one of ${LOG_LEVELS.join(", ")}`);
            if (typeof message !== "string")
                throw new TypeError("log: message must be a string");
            if (fields !== undefined && !isPlainObject(fields))
                throw new TypeError("log: fields must be a JSON object");
            // Serialized now, so that a later change to the object does not change the line (and a
            // value JSON cannot hold throws at the call).
            const line = newLogLine(level, message, fields, new Date(now()));
            if (!isOpen || isLost)
                return;
            // More lines waiting than a job may keep: those past them can only be dropped, so they are
            // counted, not held (a handler logging in a tight loop cannot fill the memory).
            if (lines.length >= LOG_LINES_MAX)
                overflow++;
            else
                lines.push(line);
            if (lines.length >= LOG_FLUSH_LINES)
                void flushLines();
            else
                flushTimer ??= setTimeout(() => void flushLines(), LOG_FLUSH_MS);
        },
        stop,
        async drain() {
            if (!isOpen)
                return;
            isOpen = false;
            // The last value is written at once, or when the interval allows (no fifth write in a second).
            if (pendingProgress !== undefined)
                await writeProgress();
            await progressWrite;
            await flushLines();
        },
    };
}
//# sourceMappingURL=attempt-reporter.js.map