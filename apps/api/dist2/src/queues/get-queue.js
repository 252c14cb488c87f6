import { countQueueJobs, findQueue } from "../db/queries/queues.js";
import { etagOf } from "./etag.js";
import { toQueue } from "./mapper.js";
import { queueNotFound, readableQueueName } from "./queue-name.js";
/** A queue row as the API shows it, with its counts read now and its ETag. */
export async function answerOf(db, userId, row) {
    const counts = await countQueueJobs(db, userId, [row.name]);
    return { queue: toQueue(row, counts.get(row.name)), etag: etagOf(row.version) };
}
/** One of the caller's queues; another user's queue, a missing one and an impossible name are the same 404. */
export async function getQueue({ db, userId, name, }) {
    const row = await findQueue(db, userId, readableQueueName(name));
    if (!row)
        throw queueNotFound();
    return answerOf(db, userId, row);
}
//# sourceMappingURL=get-queue.js.map