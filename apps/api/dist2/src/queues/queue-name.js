import { QUEUE_NAME_PATTERN } from "@jobdeck/contract";
import { AppError, validationFailed } from "../errors.js";
export const queueNotFound = () => new AppError("NOT_FOUND", "Queue not found");
/** A name no queue can have: a 404 where it is read (no such queue), since nothing else is wrong. */
export function readableQueueName(name) {
    if (!QUEUE_NAME_PATTERN.test(name))
        throw queueNotFound();
    return name;
}
/** A name no queue can have: a 400 where it would create one (PUT, pause, resume; §11). */
export function writableQueueName(name) {
    if (!QUEUE_NAME_PATTERN.test(name))
        throw validationFailed([{ path: "name", message: "must match ^[a-z0-9][a-z0-9._-]{0,63}$" }]);
    return name;
}
//# sourceMappingURL=queue-name.js.map