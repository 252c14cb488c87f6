import { backoffDelay } from "./backoff.js";
const MAX_MESSAGE = 1_000;
/** Error messages end up in the database and the API: bounded, without NUL or control characters. */
export const cleanMessage = (message) => message.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ").slice(0, MAX_MESSAGE) || "no message";
const codeOf = (error, fallback) => {
    const code = error?.code;
    return typeof code === "string" && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : fallback;
};
const messageOf = (error) => error instanceof Error ? error.message : typeof error === "string" ? error : "the handler failed";
const isPermanent = (error) => error?.permanent === true;
/** JSON that both databases can store, or why not. */
function unstorableResult(output) {
    let text;
    try {
        text = JSON.stringify(output.result ?? null);
    }
    catch (error) {
        return `the result is not JSON: ${error.message}`;
    }
    if (text === undefined)
        return "the result is not JSON";
    if (text.includes("\\u0000"))
        return "the result contains U+0000, which cannot be stored";
    return undefined;
}
/**
 * The outcome of an attempt, from how the handler ended and why its signal fired (if it did). A
 * handler that returned completes the job, whatever fired meanwhile, unless its result cannot be
 * stored; otherwise a cancellation cancels, a shutdown hands the job back, and a timeout, a thrown
 * error or an abandoned handler fails the attempt: retried after a backoff while attempts remain
 * and the error is not permanent, else the job fails with the attempt named in the message.
 */
export function decideOutcome(end, cause, job, timing) {
    if (cause === "lease-lost")
        return { kind: "lost" };
    const fail = (code, message, isFinal) => {
        const error = {
            code,
            message: cleanMessage(`${cleanMessage(message)} (attempt ${job.attempts} of ${job.maxAttempts})`),
        };
        if (isFinal || job.attempts >= job.maxAttempts)
            return { kind: "failed", error };
        const delayMs = backoffDelay(job.attempts, timing, timing.random);
        return { kind: "retry", error, runAt: new Date(timing.now + delayMs) };
    };
    if (end.kind === "returned") {
        const reason = unstorableResult(end.output);
        if (reason)
            return fail("INVALID_RESULT", reason, true);
        return { kind: "completed", result: end.output.result, artifact: end.output.artifact };
    }
    if (cause === "cancelled")
        return { kind: "cancelled" };
    if (cause === "shutdown")
        return { kind: "handed-back" };
    if (cause === "timeout")
        return fail("TIMEOUT", `timed out after ${job.timeoutMs} ms`, false);
    const error = end.kind === "threw" ? end.error : undefined;
    return fail(codeOf(error, "HANDLER_ERROR"), messageOf(error), isPermanent(error));
}
//# sourceMappingURL=outcome.js.map