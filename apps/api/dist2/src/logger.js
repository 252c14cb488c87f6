import { pino } from "pino";
/** Structured JSON logs. Credentials never reach them. */
export function createLogger(config) {
    return pino({
        level: config.logLevel,
        redact: {
            paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "*.token"],
            censor: "[redacted]",
        },
    });
}
//# sourceMappingURL=logger.js.map