const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
/** The one mapping from a stored bulk operation to the API's BulkOperation. */
export function toBulkOperation(row) {
    return {
        id: row.id,
        action: row.action,
        status: row.status,
        matched: Number(row.matched),
        processed: Number(row.succeeded) + Number(row.skipped),
        succeeded: Number(row.succeeded),
        skipped: Number(row.skipped),
        createdAt: iso(row.createdAt),
        finishedAt: iso(row.finishedAt),
    };
}
/** A `bulk-operation` event's data: the operation as GET /v1/bulk-operations/{id} shows it. */
export const bulkOperationEventData = (row) => JSON.stringify(toBulkOperation(row));
//# sourceMappingURL=mapper.js.map