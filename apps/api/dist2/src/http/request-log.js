import { requestIdOf } from "./request-id.js";
/**
 * One log line per request, at info (2xx, 3xx), warn (4xx) or error (5xx), with the request id, the
 * route, the status, the time taken and the user. It replaces pino-http, which builds two child
 * loggers and serializes the request's headers for every request whether or not the line is
 * written: about 6 % of a list request's CPU at LOG_LEVEL=warn (bench R1/R2 profiles). Here
 * nothing is built unless the level is enabled, and headers (credentials) are never logged.
 */
export function requestLog(logger) {
    return (req, res, next) => {
        const started = performance.now();
        const write = (message, level) => {
            if (!logger.isLevelEnabled(level))
                return;
            logger[level]({
                req: {
                    id: requestIdOf(res),
                    method: req.method,
                    url: req.originalUrl,
                    remoteAddress: req.socket.remoteAddress,
                },
                res: { statusCode: res.statusCode },
                responseTime: Math.round(performance.now() - started),
                userId: res.locals.userId,
            }, message);
        };
        res.once("finish", () => write("request completed", res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"));
        res.once("close", () => {
            if (!res.writableFinished)
                write("request aborted", "warn");
        });
        next();
    };
}
//# sourceMappingURL=request-log.js.map