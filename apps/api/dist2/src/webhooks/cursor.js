import { decodeCursor, encodeCursor } from "../jobs/cursor.js";
/** The webhooks list's cursor is bound to the user; a deliveries cursor to the user and the webhook. */
export const webhooksBinding = (userId) => JSON.stringify(["webhooks-v1", userId]);
export const deliveriesBinding = (userId, webhookId) => JSON.stringify(["webhook-deliveries-v1", userId, webhookId]);
export function decodeKeyset(key, binding, cursor) {
    if (cursor === undefined)
        return undefined;
    const { value, id } = decodeCursor(key, binding, cursor, "number");
    return { createdAt: value, id };
}
/** One page out of `limit + 1` rows: the extra row only says there is more. */
export function pageOf(key, binding, rows, limit, map) {
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return {
        data: page.map(map),
        pagination: {
            limit,
            nextCursor: hasMore && last ? encodeCursor(key, binding, { value: last.createdAt, id: last.id }) : null,
            hasMore,
            isPartial: false,
        },
    };
}
//# sourceMappingURL=cursor.js.map