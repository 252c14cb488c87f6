import { AppError } from "../errors.js";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const bulkOperationNotFound = () => new AppError("NOT_FOUND", "Bulk operation not found");
/** An operation id as stored, or the same 404 a missing or another user's operation gets. */
export function parseBulkOperationId(raw) {
    if (!UUID.test(raw))
        throw bulkOperationNotFound();
    return raw.toLowerCase();
}
//# sourceMappingURL=operation-id.js.map