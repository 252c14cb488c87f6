import type { BulkOperation } from "@jobdeck/contract";
import { findBulkOperation } from "../db/queries/bulk-operations.js";
import type { BulkOperationsDeps } from "./deps.js";
import { toBulkOperation } from "./mapper.js";
import { bulkOperationNotFound, parseBulkOperationId } from "./operation-id.js";

/** One of the caller's bulk operations; another user's, a missing one and a malformed id are the same 404. */
export async function getBulkOperation({
  db,
  userId,
  operationId,
}: Pick<BulkOperationsDeps, "db"> & { userId: string; operationId: string }): Promise<BulkOperation> {
  const row = await findBulkOperation(db, userId, parseBulkOperationId(operationId));
  if (!row) throw bulkOperationNotFound();
  return toBulkOperation(row);
}
