import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors.js";
const MAC_BYTES = 16;
const invalidCursor = () => new AppError("INVALID_CURSOR", "cursor is not valid for this user, these filters and this sort", {
    details: [{ path: "cursor", message: "is not a cursor this list returned" }],
});
/** One canonical string per (user, filters, sort): list order and duplicates do not matter. */
export function cursorBinding(userId, query) {
    const set = (values) => (values ? [...new Set(values)].sort() : null);
    return JSON.stringify([
        "v1",
        userId,
        query.sortBy ?? "createdAt",
        query.sortOrder ?? "desc",
        set(query.type),
        set(query.status),
        set(query.resultType),
        query.createdFrom ?? null,
        query.createdTo ?? null,
        set(query.queue),
        set(query.concurrencyKey),
        set(query.waitReason),
        // Added with §12, only when used: cursors issued before them stay valid.
        ...(query.scheduleId || query.batchId ? [set(query.scheduleId), set(query.batchId)] : []),
        // Added with §15, likewise only when used.
        ...(hasInsightFilters(query) ? [insightBinding(query, set)] : []),
    ]);
}
const hasInsightFilters = (query) => query.tag !== undefined ||
    query.tagsAll !== undefined ||
    query.errorCode !== undefined ||
    query.idPrefix !== undefined ||
    query.metadataEquals !== undefined ||
    query.payloadEquals !== undefined ||
    query.resultEquals !== undefined;
/** §15's filters in canonical form: lists as sets, the dynamic ones sorted, values as their JSON. */
function insightBinding(query, set) {
    const pairs = (filters) => filters ? [...new Set(filters.map(({ name, value }) => JSON.stringify([name, value])))].sort() : null;
    return {
        tag: set(query.tag),
        tagsAll: set(query.tagsAll),
        errorCode: set(query.errorCode),
        idPrefix: query.idPrefix ?? null,
        metadata: pairs(query.metadataEquals?.map(({ key, value }) => ({ name: key, value }))),
        payload: pairs(query.payloadEquals?.map(({ path, value }) => ({ name: path.join("."), value }))),
        result: pairs(query.resultEquals?.map(({ path, value }) => ({ name: path.join("."), value }))),
    };
}
/** The queue list's binding: its only order is by name, and it has no filters. */
export const queuesCursorBinding = (userId) => JSON.stringify(["queues-v1", userId]);
function mac(key, binding, payload) {
    return createHmac("sha256", key)
        .update(binding)
        .update("\0")
        .update(payload)
        .digest()
        .subarray(0, MAC_BYTES);
}
export function encodeCursor(key, binding, position) {
    const payload = Buffer.from(JSON.stringify([position.value, position.id]));
    return Buffer.concat([payload, mac(key, binding, payload)]).toString("base64url");
}
export function decodeCursor(key, binding, token, valueKind) {
    if (!/^[A-Za-z0-9_-]+$/.test(token))
        throw invalidCursor();
    const bytes = Buffer.from(token, "base64url");
    if (bytes.length <= MAC_BYTES)
        throw invalidCursor();
    const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
    const given = bytes.subarray(bytes.length - MAC_BYTES);
    if (!timingSafeEqual(given, mac(key, binding, payload)))
        throw invalidCursor();
    let parsed;
    try {
        parsed = JSON.parse(payload.toString("utf8"));
    }
    catch {
        throw invalidCursor();
    }
    // A valid MAC means this server wrote it; the shape check guards against a key shared with older code.
    if (!Array.isArray(parsed) || parsed.length !== 2)
        throw invalidCursor();
    const [value, id] = parsed;
    if (typeof value !== valueKind || typeof id !== "string")
        throw invalidCursor();
    return { value: value, id };
}
//# sourceMappingURL=cursor.js.map