/** The worker's events as prom-client counters. */
export function metricsHooks(metrics) {
    return {
        onJobStarted: (job) => metrics.jobsStarted.inc({ type: job.type }),
        onJobCompleted: (job) => metrics.jobsCompleted.inc({ type: job.type }),
        onJobFailed: (job) => metrics.jobsFailed.inc({ type: job.type }),
        onLeaseRenewed: () => metrics.leaseRenewals.inc(),
        onLeaseLost: () => metrics.leaseLosses.inc(),
    };
}
//# sourceMappingURL=worker-hooks.js.map