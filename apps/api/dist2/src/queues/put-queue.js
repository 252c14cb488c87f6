import { putQueueSettings } from "../db/job-store/queue-changes.js";
import { findQueue } from "../db/queries/queues.js";
import { parseIfMatch, preconditionFailed } from "./etag.js";
import { answerOf } from "./get-queue.js";
import { writableQueueName } from "./queue-name.js";
/**
 * Sets a queue's four settings, creating it when needed (§11). With If-Match, only a queue still at
 * that ETag changes, in the same statement that checks it; a changed or missing queue is a 412 and
 * nothing is written. `If-Match: *` asks only that the queue exists (queues are never deleted, so
 * once seen it stays).
 */
export async function putQueue({ db, userId, name, settings, ifMatch, }) {
    const queueName = writableQueueName(name);
    const condition = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
    if (condition?.isAny && !(await findQueue(db, userId, queueName)))
        throw preconditionFailed();
    const row = await putQueueSettings(db, {
        userId,
        name: queueName,
        settings,
        version: condition && !condition.isAny ? condition.version : undefined,
        now: new Date(),
    });
    if (!row)
        throw preconditionFailed();
    return answerOf(db, userId, row);
}
//# sourceMappingURL=put-queue.js.map