import { loadedDialects } from "./dialect/index.js";
/** Node's own errors for a server that cannot be reached, whatever the database. */
const NETWORK_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
    "ENOTFOUND",
    "EHOSTUNREACH",
]);
const NETWORK_MESSAGE = /Connection terminated|connection (is )?closed|timeout exceeded when trying to connect/i;
/**
 * Whether an error, or any error it was caused by, means that the database cannot be reached right
 * now: a 503 `UNAVAILABLE` with Retry-After, never a 500. The errors of each database are told apart
 * by its dialect: those of the databases this process opened, the only ones its errors can come from.
 */
export function isDatabaseUnavailable(error) {
    const seen = new Set();
    for (let current = error; current && typeof current === "object" && !seen.has(current);) {
        seen.add(current);
        const e = current;
        if (typeof e.code === "string" && NETWORK_CODES.has(e.code))
            return true;
        if (typeof e.message === "string" && NETWORK_MESSAGE.test(e.message))
            return true;
        for (const dialect of loadedDialects())
            if (dialect.isUnavailable(e))
                return true;
        current = e.cause;
    }
    return false;
}
//# sourceMappingURL=unavailable.js.map