/**
 * The wait before the attempt after attempt `attempt` (1-based) failed: base·2^(attempt−1), capped at
 * max, then "equal jitter": half of it fixed, half random. The fixed half keeps retries spaced out;
 * the random half keeps jobs that failed together (a service that went down) from retrying together.
 */
export function backoffDelay(attempt, policy, random = Math.random) {
    const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(exponential / 2 + random() * (exponential / 2));
}
//# sourceMappingURL=backoff.js.map