import { selectSchedulePage } from "../db/queries/schedules.js";
import { decodeCursor, encodeCursor } from "../jobs/cursor.js";
import { toSchedule } from "./mapper.js";
/** The schedule list's cursor binding: one order (createdAt, then id, newest first), no filters. */
const schedulesCursorBinding = (userId) => JSON.stringify(["schedules-v1", userId]);
/**
 * One page of the caller's schedules (§12): keyset on (userId, createdAt, id), newest first, like
 * the jobs list's default order (§5), with a cursor signed and bound to the user.
 */
export async function listSchedules({ db, cursorKey, userId, query, }) {
    const binding = schedulesCursorBinding(userId);
    const after = query.cursor ? decodeCursor(cursorKey, binding, query.cursor, "number") : undefined;
    const rows = await selectSchedulePage(db, {
        userId,
        after: after && { createdAt: Number(after.value), id: after.id },
        limit: query.limit + 1,
    });
    const hasMore = rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const last = page.at(-1);
    return {
        data: page.map((row) => toSchedule(row)),
        pagination: {
            limit: query.limit,
            nextCursor: hasMore && last ? encodeCursor(cursorKey, binding, { value: last.createdAt, id: last.id }) : null,
            hasMore,
            isPartial: false,
        },
    };
}
//# sourceMappingURL=list-schedules.js.map