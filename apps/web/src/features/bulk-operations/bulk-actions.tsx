import { BULK_ACTIONS, BULK_IDS_MAX, type BulkAction, type JobStatsQueryInput } from "@jobdeck/contract";
import { useId, useState } from "react";
import { Link } from "../../components/link";
import { toProblem } from "../../lib/api-errors";
import { paths } from "../../lib/router";
import { BulkProgress, describeOperation } from "./bulk-progress";
import {
  useBulkOperation,
  useCancelBulkOperation,
  useStartBulkOperation,
  type BulkSelection,
} from "./use-bulk-operations";

/** Above this many jobs, the confirmation asks for the count to be typed (an accidental click does nothing). */
const TYPE_THE_COUNT_ABOVE = BULK_IDS_MAX;

const NO_IDS: readonly string[] = [];

const LABELS: Record<BulkAction, string> = { cancel: "Cancel", retry: "Retry", delete: "Delete" };
const HINTS: Record<BulkAction, string> = {
  cancel: "Pending and running jobs are cancelled; ended ones are skipped.",
  retry: "Each ended job runs again as a new job; others are skipped.",
  delete: "Ended jobs are deleted with their results, logs and events; others are skipped.",
};

type Step =
  | { name: "idle" }
  | { name: "selected"; count: number; selection: BulkSelection; isRows?: boolean }
  | { name: "confirm"; count: number; selection: BulkSelection; action: BulkAction }
  | { name: "running"; operationId: string };

/**
 * "Select all N matching" for the list's current filters (N from a dry run), or the rows ticked in
 * the list (by id), then an action, a confirmation (typing the count above 1,000 jobs), and the
 * operation's live progress.
 */
export function BulkActions({
  filter,
  actions = BULK_ACTIONS,
  selectLabel = "Select all matching",
  selectedIds = NO_IDS,
  onClearSelection,
}: {
  filter: JobStatsQueryInput;
  /** The actions offered; one alone is not offered as a choice. */
  actions?: readonly BulkAction[];
  selectLabel?: string;
  /** Rows ticked in the list (≤ 1,000): while there are some, the actions apply to them. */
  selectedIds?: readonly string[];
  onClearSelection?: () => void;
}) {
  const [ownStep, setStep] = useState<Step>({ name: "idle" });
  const step: Step =
    ownStep.name === "idle" && selectedIds.length > 0
      ? { name: "selected", count: selectedIds.length, selection: { ids: [...selectedIds] }, isRows: true }
      : ownStep;
  const clear = () => {
    if (step.name === "selected" && step.isRows) onClearSelection?.();
    setStep({ name: "idle" });
  };
  const [action, setAction] = useState<BulkAction>(actions[0] ?? "cancel");
  const [typed, setTyped] = useState("");
  const bulk = useStartBulkOperation();
  const typedId = useId();
  const problem = bulk.error ? toProblem(bulk.error) : undefined;

  const selectAll = async () => {
    const selection: BulkSelection = { filter };
    // The count does not depend on the action; the dry run names the one offered first.
    const count = await bulk.count(action, selection);
    setStep({ name: "selected", count, selection });
  };

  if (step.name === "running")
    return <RunningOperation operationId={step.operationId} onClose={() => setStep({ name: "idle" })} />;

  return (
    <div className="bulk-actions" aria-label="Bulk actions" role="group">
      {step.name === "idle" && (
        <button
          type="button"
          className="button small"
          disabled={bulk.isPending}
          onClick={() => void selectAll()}
        >
          {bulk.isPending ? "Counting…" : selectLabel}
        </button>
      )}
      {step.name === "selected" && (
        <>
          <span role="status">
            {step.isRows ? (
              <>
                <strong>{step.count.toLocaleString()}</strong> {step.count === 1 ? "job" : "jobs"} ticked
                {step.count >= BULK_IDS_MAX && ` (at most ${BULK_IDS_MAX.toLocaleString()})`}
              </>
            ) : (
              <>
                All <strong>{step.count.toLocaleString()}</strong> matching{" "}
                {step.count === 1 ? "job" : "jobs"} selected
              </>
            )}
          </span>
          {actions.length > 1 && (
            <label>
              <span className="visually-hidden">Action</span>
              <select value={action} onChange={(event) => setAction(event.target.value as BulkAction)}>
                {actions.map((one) => (
                  <option key={one} value={one}>
                    {LABELS[one]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="button small primary"
            disabled={step.count === 0}
            onClick={() => {
              setTyped("");
              setStep({ ...step, name: "confirm", action });
            }}
          >
            {LABELS[action]} {step.count.toLocaleString()} {step.count === 1 ? "job" : "jobs"}…
          </button>
          <button type="button" className="button small" onClick={clear}>
            Clear selection
          </button>
        </>
      )}
      {step.name === "confirm" && (
        <form
          className="bulk-confirm"
          aria-label="Confirm bulk operation"
          onSubmit={(event) => {
            event.preventDefault();
            void bulk.start(step.action, step.selection).then((operation) => {
              if ("ids" in step.selection) onClearSelection?.();
              setStep({ name: "running", operationId: operation.id });
            });
          }}
        >
          <p>
            <strong>
              {LABELS[step.action]} {step.count.toLocaleString()} {step.count === 1 ? "job" : "jobs"}?
            </strong>{" "}
            <span className="muted">{HINTS[step.action]}</span>
          </p>
          {step.count > TYPE_THE_COUNT_ABOVE && (
            <label htmlFor={typedId}>
              Type {step.count} to confirm{" "}
              <input
                id={typedId}
                inputMode="numeric"
                autoComplete="off"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            </label>
          )}
          <button
            type="submit"
            className="button small primary"
            disabled={
              bulk.isPending || (step.count > TYPE_THE_COUNT_ABOVE && typed.trim() !== String(step.count))
            }
          >
            {bulk.isPending ? "Starting…" : `Yes, ${LABELS[step.action].toLowerCase()} them`}
          </button>
          <button type="button" className="button small" onClick={() => setStep({ name: "idle" })}>
            Back
          </button>
        </form>
      )}
      {problem && (
        <p className="problem-text" role="alert">
          {problem.message}
        </p>
      )}
    </div>
  );
}

/** The operation just started, live (its `bulk-operation` events update the query). */
function RunningOperation({ operationId, onClose }: { operationId: string; onClose: () => void }) {
  const operation = useBulkOperation(operationId);
  const cancel = useCancelBulkOperation();
  if (!operation.data) return <p role="status">Starting…</p>;
  const isRunning = operation.data.status === "running";
  return (
    <div className="bulk-actions" role="group" aria-label="Bulk operation progress">
      <strong>{describeOperation(operation.data)}</strong>
      <BulkProgress operation={operation.data} />
      {isRunning ? (
        <button
          type="button"
          className="button small"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ params: { id: operationId } })}
        >
          Stop
        </button>
      ) : (
        <button type="button" className="button small" onClick={onClose}>
          Done
        </button>
      )}
      <Link to={paths.bulkOperations()}>All bulk operations</Link>
    </div>
  );
}
