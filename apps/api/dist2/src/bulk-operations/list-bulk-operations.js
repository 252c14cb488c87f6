import { selectBulkOperationPage } from "../db/queries/bulk-operations.js";
import { decodeKeyset, pageOf } from "../webhooks/cursor.js";
import { toBulkOperation } from "./mapper.js";
/** The list's cursor binding: one order (createdAt, then id, newest first), bound to the user. */
const bulkOperationsBinding = (userId) => JSON.stringify(["bulk-operations-v1", userId]);
/** One page of the caller's bulk operations, newest first, keyset on (userId, createdAt, id) as §5. */
export async function listBulkOperations({ db, cursorKey, userId, query, }) {
    const binding = bulkOperationsBinding(userId);
    const rows = await selectBulkOperationPage(db, {
        userId,
        after: decodeKeyset(cursorKey, binding, query.cursor),
        limit: query.limit + 1,
    });
    return pageOf(cursorKey, binding, rows, query.limit, toBulkOperation);
}
//# sourceMappingURL=list-bulk-operations.js.map