import { countQueueJobs, selectQueuePage } from "../db/queries/queues.js";
import { decodeCursor, encodeCursor, queuesCursorBinding } from "../jobs/cursor.js";
import { toQueue } from "./mapper.js";
/**
 * One page of the caller's queues by name (§11): keyset on (userId, name), the primary key, with a
 * cursor bound to the user like the jobs list's (the name is the whole position; it is unique).
 */
export async function listQueues({ db, cursorKey, userId, query, }) {
    const binding = queuesCursorBinding(userId);
    const after = query.cursor ? decodeCursor(cursorKey, binding, query.cursor, "string") : undefined;
    const rows = await selectQueuePage(db, {
        userId,
        afterName: after === undefined ? undefined : String(after.value),
        limit: query.limit + 1,
    });
    const hasMore = rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const counts = await countQueueJobs(db, userId, page.map((row) => row.name));
    const last = page.at(-1);
    return {
        data: page.map((row) => toQueue(row, counts.get(row.name))),
        pagination: {
            limit: query.limit,
            nextCursor: hasMore && last ? encodeCursor(cursorKey, binding, { value: last.name, id: last.name }) : null,
            hasMore,
            isPartial: false,
        },
    };
}
//# sourceMappingURL=list-queues.js.map