/**
 * When a failed message is tried again (§13): the n-th retry about 2^(n−1) s after the failure
 * before it, ±20 % so that a receiver's outage does not bring every message back at one instant,
 * capped at an hour; never after the message's 24 hours are up (then it is failed).
 */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 3_600_000;
const JITTER = 0.2;
/** The delay before retry number `retry` (1 for the first); `random` in [0, 1). */
export function retryDelayMs(retry, random) {
    const base = Math.min(RETRY_BASE_MS * 2 ** Math.min(retry - 1, 32), RETRY_MAX_MS);
    return Math.min(Math.round(base * (1 - JITTER + 2 * JITTER * random)), RETRY_MAX_MS);
}
/** A message's state after an attempt that ended at `now`, with `failures` failures before it. */
export function nextState(result, { failures, expiresAt, now, random }) {
    if (result.kind === "delivered")
        return { status: "delivered", failures, nextAttemptAt: null };
    const failed = failures + 1;
    if (result.kind === "refused")
        return { status: "failed", failures: failed, nextAttemptAt: null };
    const at = now.getTime() + retryDelayMs(failed, random);
    if (at > expiresAt)
        return { status: "failed", failures: failed, nextAttemptAt: null };
    return { status: "pending", failures: failed, nextAttemptAt: new Date(at) };
}
//# sourceMappingURL=retry-schedule.js.map