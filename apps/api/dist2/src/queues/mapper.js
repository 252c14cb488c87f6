const rateLimitOf = (limit, periodMs) => limit === null || periodMs === null ? null : { limit, periodMs };
/** The one mapping from a stored queue and its job counts to the API's Queue. */
export function toQueue(row, counts) {
    return {
        name: row.name,
        isPaused: row.isPaused,
        concurrency: row.concurrency,
        perKeyConcurrency: row.perKeyConcurrency,
        rateLimit: rateLimitOf(row.rateLimit, row.ratePeriodMs),
        perKeyRateLimit: rateLimitOf(row.perKeyRateLimit, row.perKeyRatePeriodMs),
        counts: { pending: counts?.pending ?? 0, running: counts?.running ?? 0 },
        oldestPendingAt: counts?.oldestPendingAt === null || counts?.oldestPendingAt === undefined
            ? null
            : new Date(counts.oldestPendingAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
    };
}
//# sourceMappingURL=mapper.js.map