import { timingSafeEqual } from "node:crypto";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { countAllJobsByStatus } from "../db/queries/job-stats.js";
import { AppError } from "../errors.js";
/** One registry per app (not prom-client's global one), so tests can build many apps. */
export function createMetrics(db) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    new Gauge({
        name: "jobdeck_jobs",
        help: "Jobs in the database by status (all users)",
        labelNames: ["status"],
        registers: [registry],
        async collect() {
            const rows = await countAllJobsByStatus(db);
            this.reset();
            for (const row of rows)
                this.set({ status: row.status }, row.count);
        },
    });
    return {
        registry,
        requestDuration: new Histogram({
            name: "jobdeck_http_request_duration_seconds",
            help: "HTTP request latency by route and status",
            labelNames: ["method", "route", "status"],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers: [registry],
        }),
        jobsStarted: new Counter({
            name: "jobdeck_jobs_started_total",
            help: "Job attempts started by this process",
            labelNames: ["type"],
            registers: [registry],
        }),
        jobsCompleted: new Counter({
            name: "jobdeck_jobs_completed_total",
            help: "Jobs completed by this process",
            labelNames: ["type"],
            registers: [registry],
        }),
        jobsFailed: new Counter({
            name: "jobdeck_jobs_failed_total",
            help: "Job attempts that failed in this process",
            labelNames: ["type"],
            registers: [registry],
        }),
        leaseRenewals: new Counter({
            name: "jobdeck_worker_lease_renewals_total",
            help: "Leases this process renewed",
            registers: [registry],
        }),
        leaseLosses: new Counter({
            name: "jobdeck_worker_lease_losses_total",
            help: "Leases this process lost to another worker",
            registers: [registry],
        }),
    };
}
/** The route template, never the raw path, so ids do not explode the label set. */
function routeOf(req) {
    const tsRest = req.tsRestRoute;
    if (tsRest)
        return tsRest.path;
    const route = req.route;
    if (route && typeof route.path === "string")
        return req.baseUrl + route.path;
    return "unmatched";
}
export function measureRequests(metrics) {
    return (req, res, next) => {
        const end = metrics.requestDuration.startTimer();
        res.on("finish", () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
        next();
    };
}
/** GET /metrics: open, or behind `Authorization: Bearer <METRICS_TOKEN>` when it is set. */
export function metricsEndpoint(metrics, token) {
    const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
    return (req, res, next) => {
        if (expected) {
            const header = req.get("authorization");
            const given = Buffer.from(header ?? "");
            if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
                // Its own realm: the metrics token is not a user's JWT. As for the API (auth/tokens.ts), a
                // token that was sent and refused is `invalid_token` (RFC 6750 §3.1); no token, no code.
                const hasToken = /^Bearer +\S/i.test(header ?? "");
                const challenge = `Bearer realm="jobdeck-metrics"${hasToken ? ', error="invalid_token"' : ""}`;
                next(new AppError("UNAUTHORIZED", "GET /metrics needs the metrics token", {
                    headers: { "WWW-Authenticate": challenge },
                }));
                return;
            }
        }
        metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).send(text), (error) => next(error));
    };
}
//# sourceMappingURL=metrics.js.map