import { findBulkOperation } from "../db/queries/bulk-operations.js";
import { toBulkOperation } from "./mapper.js";
import { bulkOperationNotFound, parseBulkOperationId } from "./operation-id.js";
/** One of the caller's bulk operations; another user's, a missing one and a malformed id are the same 404. */
export async function getBulkOperation({ db, userId, operationId, }) {
    const row = await findBulkOperation(db, userId, parseBulkOperationId(operationId));
    if (!row)
        throw bulkOperationNotFound();
    return toBulkOperation(row);
}
//# sourceMappingURL=get-bulk-operation.js.map