import { AppError } from "../errors.js";
/**
 * A queue's ETag (§11) is its version in quotes: a strong validator that PUT, pause and resume bump,
 * covering the four settings and isPaused, not the counts.
 */
export const etagOf = (version) => `"${version}"`;
const preconditionFailed = () => new AppError("PRECONDITION_FAILED", "The queue has changed since this ETag, or does not exist", {
    details: [{ path: "if-match", message: "does not match the queue's current ETag" }],
});
/**
 * What an If-Match asks for: `*` (the queue exists, RFC 9110 §13.1.1), or one of our ETags. Anything
 * else (a weak ETag, a list, a stranger's value) cannot match a queue's current ETag, which is strong
 * and single, so it is a 412 like a stale one (If-Match compares strongly).
 */
export function parseIfMatch(header) {
    const value = header.trim();
    if (value === "*")
        return { isAny: true };
    const match = /^"([1-9][0-9]{0,14})"$/.exec(value);
    if (!match)
        throw preconditionFailed();
    return { isAny: false, version: Number(match[1]) };
}
export { preconditionFailed };
//# sourceMappingURL=etag.js.map