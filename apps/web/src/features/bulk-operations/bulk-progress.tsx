import type { BulkOperation } from "@jobdeck/contract";
import { RelativeTime } from "../../components/relative-time";

const VERBS = { cancel: "Cancel", retry: "Retry", delete: "Delete" } as const;
const STATUS_TEXT = {
  running: "Running",
  completed: "Completed",
  cancelled: "Stopped",
  failed: "Failed",
} as const;

/** What an operation does, in words: "Retry 1,200 jobs". */
export const describeOperation = (operation: Pick<BulkOperation, "action" | "matched">) =>
  `${VERBS[operation.action]} ${operation.matched.toLocaleString()} ${operation.matched === 1 ? "job" : "jobs"}`;

/** An operation's progress: a bar of processed out of matched, and what it did with them. */
export function BulkProgress({ operation }: { operation: BulkOperation }) {
  const { matched, processed, succeeded, skipped } = operation;
  return (
    <div className="bulk-progress">
      <progress
        max={Math.max(1, matched)}
        value={matched === 0 ? 1 : processed}
        aria-label={`${describeOperation(operation)}: ${processed.toLocaleString()} of ${matched.toLocaleString()} processed`}
      />
      <span className="muted small" role="status">
        {STATUS_TEXT[operation.status]} · {processed.toLocaleString()} of {matched.toLocaleString()} processed
        · {succeeded.toLocaleString()} done · {skipped.toLocaleString()} skipped
        {operation.finishedAt && (
          <>
            {" "}
            · finished <RelativeTime iso={operation.finishedAt} />
          </>
        )}
      </span>
    </div>
  );
}
