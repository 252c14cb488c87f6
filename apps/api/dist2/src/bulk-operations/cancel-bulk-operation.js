import { cancelBulkOperation as cancelStored } from "../db/bulk-store/index.js";
import { AppError } from "../errors.js";
import { bulkOperationEventData, toBulkOperation } from "./mapper.js";
import { bulkOperationNotFound, parseBulkOperationId } from "./operation-id.js";
/**
 * Cancels a running operation: its runner, in this process or another, stops before its next chunk
 * (a chunk under way commits first and its counts stay). 409 once it has ended, nothing written.
 */
export async function cancelBulkOperation({ db, userId, operationId, }) {
    const result = await cancelStored(db, {
        userId,
        id: parseBulkOperationId(operationId),
        now: new Date(),
        eventData: bulkOperationEventData,
    });
    if (!result)
        throw bulkOperationNotFound();
    if (result.kind === "ended")
        throw new AppError("CONFLICT", `Bulk operation is already ${result.row.status}; only a running one can be cancelled`);
    return toBulkOperation(result.row);
}
//# sourceMappingURL=cancel-bulk-operation.js.map