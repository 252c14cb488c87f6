import { RETENTION_DAYS_MAX, type Retention } from "@jobdeck/contract";
import { useId, useState } from "react";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem } from "../../lib/api-errors";
import { notify } from "../../lib/notices";
import { useRetention, usePutRetention } from "./use-housekeeping";

const STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly (keyof Retention)[];
type Drafts = Record<keyof Retention, string>;

const toDrafts = (retention: Retention): Drafts => ({
  completed: retention.completed === null ? "" : String(retention.completed),
  failed: retention.failed === null ? "" : String(retention.failed),
  cancelled: retention.cancelled === null ? "" : String(retention.cancelled),
});

/** Empty is "keep forever"; otherwise whole days 0–3,650. Undefined: not a valid entry. */
export function parseDays(draft: string): number | null | undefined {
  const text = draft.trim();
  if (text === "") return null;
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const days = Number(text);
  return days <= RETENTION_DAYS_MAX ? days : undefined;
}

/** The caller's retention (§15): days to keep each kind of ended job, or forever. */
export function RetentionPage() {
  const retention = useRetention();
  return (
    <div className="retention-page">
      <h1>Retention</h1>
      <p className="muted">
        Ended jobs older than this (by when they finished) are deleted with their results, logs and events by
        a sweep that runs every minute. Leave a field empty to keep those jobs forever; 0 deletes them at the
        next sweep.
      </p>
      {retention.isPending ? (
        <p role="status">Loading…</p>
      ) : retention.isError ? (
        <ProblemPanel
          title="The retention setting could not be loaded"
          problem={toProblem(retention.error)}
          onRetry={() => void retention.refetch()}
        />
      ) : (
        <RetentionForm key={JSON.stringify(retention.data)} saved={retention.data} />
      )}
    </div>
  );
}

function RetentionForm({ saved }: { saved: Retention }) {
  const [drafts, setDrafts] = useState<Drafts>(() => toDrafts(saved));
  const save = usePutRetention();
  const id = useId();
  const parsed = STATUSES.map((status) => [status, parseDays(drafts[status])] as const);
  const isValid = parsed.every(([, days]) => days !== undefined);
  const problem = save.error ? toProblem(save.error) : undefined;
  return (
    <form
      className="retention-form panel"
      aria-label="Retention"
      onSubmit={(event) => {
        event.preventDefault();
        if (!isValid) return;
        save.put(Object.fromEntries(parsed) as Retention, () => notify("Retention saved"));
      }}
    >
      {parsed.map(([status, days]) => (
        <div className="field" key={status}>
          <label htmlFor={`${id}-${status}`}>Days to keep {status} jobs</label>
          <input
            id={`${id}-${status}`}
            inputMode="numeric"
            placeholder="forever"
            autoComplete="off"
            aria-invalid={days === undefined}
            aria-describedby={days === undefined ? `${id}-${status}-error` : undefined}
            value={drafts[status]}
            onChange={(event) => setDrafts({ ...drafts, [status]: event.target.value })}
          />
          {days === undefined && (
            <p id={`${id}-${status}-error`} className="problem-text">
              Whole days from 0 to {RETENTION_DAYS_MAX.toLocaleString()}, or empty to keep them forever
            </p>
          )}
        </div>
      ))}
      {problem && (
        <p className="problem-text" role="alert">
          {problem.message}
        </p>
      )}
      <button type="submit" className="button primary" disabled={!isValid || save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
