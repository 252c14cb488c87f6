import { setQueuePaused as writeQueuePaused } from "../db/job-store/queue-changes.js";
import { answerOf } from "./get-queue.js";
import { writableQueueName } from "./queue-name.js";
/**
 * Pauses or resumes a queue, creating it (with no limits) when it does not exist yet (§11). Once
 * this has answered, no claim starts a job of a paused queue (db/job-store/queue-changes.ts).
 */
export async function setQueuePaused({ db, userId, name, isPaused, }) {
    const row = await writeQueuePaused(db, {
        userId,
        name: writableQueueName(name),
        isPaused,
        now: new Date(),
    });
    return answerOf(db, userId, row);
}
//# sourceMappingURL=set-queue-paused.js.map