import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { toProblem } from "../../lib/api-errors";
import { BulkProgress, describeOperation } from "./bulk-progress";
import { useBulkOperations, useCancelBulkOperation } from "./use-bulk-operations";

/** The history of the caller's bulk operations, newest first, running ones live. */
export function BulkOperationsPage() {
  const operations = useBulkOperations();
  const cancel = useCancelBulkOperation();
  return (
    <div className="bulk-operations-page">
      <h1>Bulk operations</h1>
      {operations.isPending ? (
        <p role="status">Loading…</p>
      ) : operations.isError ? (
        <ProblemPanel
          title="The bulk operations could not be loaded"
          problem={toProblem(operations.error)}
          onRetry={() => void operations.refetch()}
        />
      ) : operations.data.length === 0 ? (
        <div className="panel empty">
          <h2>No bulk operations yet</h2>
          <p className="muted">In the jobs list, filter the jobs you want, then "Select all matching".</p>
        </div>
      ) : (
        <table className="bulk-operations-table">
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">Started</th>
              <th scope="col">Progress</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {operations.data.map((operation) => (
              <tr key={operation.id}>
                <td>{describeOperation(operation)}</td>
                <td>
                  <RelativeTime iso={operation.createdAt} />
                </td>
                <td>
                  <BulkProgress operation={operation} />
                </td>
                <td>
                  {operation.status === "running" && (
                    <button
                      type="button"
                      className="button small"
                      disabled={cancel.isPending}
                      onClick={() => cancel.mutate({ params: { id: operation.id } })}
                    >
                      Stop
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
