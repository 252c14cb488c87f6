import { closeRuntime } from "./boot.js";
/** Beyond the jobs' grace period: time to hand jobs back and close connections. */
const SHUTDOWN_SLACK_MS = 10_000;
/**
 * How every jobdeck process ends on SIGTERM or SIGINT (docs/api.md §9): stop taking requests (when it
 * serves HTTP) and jobs; end event streams, whose clients reconnect elsewhere with Last-Event-ID;
 * let running jobs finish within SHUTDOWN_GRACE_MS and hand back the rest; close every connection;
 * exit 0. A shutdown that takes longer than the grace period and some slack exits 1.
 */
export function stopOnSignals({ runtime, worker, bulkRunner, housekeeping, server, }) {
    const { config, logger } = runtime;
    let isStopping = false;
    const shutdown = async (signal) => {
        if (isStopping)
            return;
        isStopping = true;
        logger.info({ signal }, "shutting down");
        const forced = setTimeout(() => {
            logger.warn("shutdown took too long; exiting");
            process.exit(1);
        }, config.shutdownGraceMs + SHUTDOWN_SLACK_MS).unref();
        server?.close();
        runtime.feed.close();
        server?.closeIdleConnections();
        housekeeping.stop();
        await Promise.all([worker?.stop(config.shutdownGraceMs), bulkRunner.stop()]);
        await closeRuntime(runtime);
        clearTimeout(forced);
        process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));
}
//# sourceMappingURL=shutdown.js.map