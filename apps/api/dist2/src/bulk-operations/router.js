import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { cancelBulkOperation } from "./cancel-bulk-operation.js";
import { createBulkOperation } from "./create-bulk-operation.js";
import { getBulkOperation } from "./get-bulk-operation.js";
import { listBulkOperations } from "./list-bulk-operations.js";
const s = initServer();
/** The URL of GET /v1/bulk-operations/{id}, as a 202's Location. */
const operationLocation = (id) => contract.bulkOperations.getBulkOperation.path.replace(":id", encodeURIComponent(id));
/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createBulkOperationsRouter(deps) {
    return s.router(contract.bulkOperations, {
        createBulkOperation: async ({ body, headers, res }) => {
            const { isReplay, ...answer } = await createBulkOperation({
                ...deps,
                userId: userIdOf(res),
                key: headers["idempotency-key"],
                body,
            });
            if (isReplay)
                res.setHeader("Idempotent-Replayed", "true");
            if (answer.status === 202)
                res.setHeader("Location", operationLocation(answer.body.data.id));
            return answer;
        },
        listBulkOperations: async ({ query, res }) => {
            const page = await listBulkOperations({ ...deps, userId: userIdOf(res), query });
            return { status: 200, body: { success: true, ...page } };
        },
        getBulkOperation: async ({ params, res }) => {
            const data = await getBulkOperation({
                ...deps,
                userId: userIdOf(res),
                operationId: params.id,
            });
            return { status: 200, body: { success: true, data, message: "Bulk operation retrieved" } };
        },
        cancelBulkOperation: async ({ params, res }) => {
            const data = await cancelBulkOperation({
                ...deps,
                userId: userIdOf(res),
                operationId: params.id,
            });
            return { status: 200, body: { success: true, data, message: "Bulk operation cancelled" } };
        },
    });
}
//# sourceMappingURL=router.js.map