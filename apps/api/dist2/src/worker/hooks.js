export const emptyCounters = () => ({
    started: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    cancelled: 0,
    handedBack: 0,
    leaseRenewals: 0,
    leaseLosses: 0,
    reaped: 0,
});
//# sourceMappingURL=hooks.js.map