import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { listJobAttempts } from "./list-job-attempts.js";
import { listJobLogs } from "./list-job-logs.js";
const s = initServer();
/** §14's routes of a job: its attempts and its log. Thin: parsed input in, one service call, `{ status, body }` out. */
export function createAttemptsRouter(deps) {
    return s.router(contract.attempts, {
        listJobAttempts: async ({ params, res }) => ({
            status: 200,
            body: {
                success: true,
                data: await listJobAttempts({ ...deps, userId: userIdOf(res), jobId: params.jobId }),
                message: "Attempts retrieved",
            },
        }),
        listJobLogs: async ({ params, query, res }) => ({
            status: 200,
            body: {
                success: true,
                ...(await listJobLogs({ ...deps, userId: userIdOf(res), jobId: params.jobId, query })),
                message: "Log lines retrieved",
            },
        }),
    });
}
//# sourceMappingURL=router.js.map