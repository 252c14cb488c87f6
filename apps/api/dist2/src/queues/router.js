import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { getQueue } from "./get-queue.js";
import { listQueues } from "./list-queues.js";
import { putQueue } from "./put-queue.js";
import { setQueuePaused } from "./set-queue-paused.js";
const s = initServer();
/** A queue answer: 200 with the queue's ETag, which covers its settings and isPaused (§11). */
function answer(res, { queue, etag }, message) {
    res.setHeader("ETag", etag);
    return { status: 200, body: { success: true, data: queue, message } };
}
/**
 * Express answers a GET 304 when If-None-Match names the ETag the answer carries. A queue's ETag
 * covers its settings, not its counts, so a 304 would leave the client with stale counts: GET
 * /v1/queues/{name} ignores the conditional headers and always answers 200 with the body.
 */
function ignoreConditionalGet(req) {
    delete req.headers["if-none-match"];
    delete req.headers["if-modified-since"];
}
/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createQueuesRouter(deps) {
    return s.router(contract.queues, {
        listQueues: async ({ query, res }) => {
            const page = await listQueues({ ...deps, userId: userIdOf(res), query });
            return { status: 200, body: { success: true, ...page } };
        },
        getQueue: async ({ params, req, res }) => {
            ignoreConditionalGet(req);
            return answer(res, await getQueue({ ...deps, userId: userIdOf(res), name: params.name }), "Queue retrieved");
        },
        putQueue: async ({ params, headers, body, res }) => answer(res, await putQueue({
            ...deps,
            userId: userIdOf(res),
            name: params.name,
            settings: body,
            ifMatch: headers["if-match"],
        }), "Queue settings saved"),
        pauseQueue: async ({ params, res }) => answer(res, await setQueuePaused({ ...deps, userId: userIdOf(res), name: params.name, isPaused: true }), "Queue paused"),
        resumeQueue: async ({ params, res }) => answer(res, await setQueuePaused({ ...deps, userId: userIdOf(res), name: params.name, isPaused: false }), "Queue resumed"),
    });
}
//# sourceMappingURL=router.js.map