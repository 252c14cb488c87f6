import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { getRetention } from "./get-retention.js";
import { putRetention } from "./put-retention.js";
const s = initServer();
/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createRetentionRouter({ db }) {
    return s.router(contract.retention, {
        getRetention: async ({ res }) => ({
            status: 200,
            body: {
                success: true,
                data: await getRetention({ db, userId: userIdOf(res) }),
                message: "Retention retrieved",
            },
        }),
        putRetention: async ({ body, res }) => ({
            status: 200,
            body: {
                success: true,
                data: await putRetention({ db, userId: userIdOf(res), retention: body }),
                message: "Retention updated",
            },
        }),
    });
}
//# sourceMappingURL=router.js.map