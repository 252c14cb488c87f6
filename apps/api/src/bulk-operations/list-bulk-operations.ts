import type { BulkOperation, ListBulkOperationsQuery, Pagination } from "@jobdeck/contract";
import { selectBulkOperationPage } from "../db/queries/bulk-operations.js";
import { decodeKeyset, pageOf } from "../webhooks/cursor.js";
import type { BulkOperationsDeps } from "./deps.js";
import { toBulkOperation } from "./mapper.js";

/** The list's cursor binding: one order (createdAt, then id, newest first), bound to the user. */
const bulkOperationsBinding = (userId: string) => JSON.stringify(["bulk-operations-v1", userId]);

/** One page of the caller's bulk operations, newest first, keyset on (userId, createdAt, id) as §5. */
export async function listBulkOperations({
  db,
  cursorKey,
  userId,
  query,
}: Pick<BulkOperationsDeps, "db" | "cursorKey"> & {
  userId: string;
  query: ListBulkOperationsQuery;
}): Promise<{
  data: BulkOperation[];
  pagination: Pagination;
}> {
  const binding = bulkOperationsBinding(userId);
  const rows = await selectBulkOperationPage(db, {
    userId,
    after: decodeKeyset(cursorKey, binding, query.cursor),
    limit: query.limit + 1,
  });
  return pageOf(cursorKey, binding, rows, query.limit, toBulkOperation);
}
