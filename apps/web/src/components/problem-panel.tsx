import type { Problem } from "../lib/api-errors";

type ProblemPanelProps = { title: string; problem: Problem; onRetry?: () => void };

/** A request that failed: what, the server's words, and the request id to quote in a bug report. */
export function ProblemPanel({ title, problem, onRetry }: ProblemPanelProps) {
  return (
    <div className="panel problem" role="alert">
      <h2>{title}</h2>
      <p>{problem.message}</p>
      {(problem.code || problem.requestId) && (
        <p className="muted small">
          {problem.status && <>HTTP {problem.status} </>}
          {problem.code && <code>{problem.code}</code>}
          {problem.requestId && (
            <>
              {" "}
              · request <code>{problem.requestId}</code>
            </>
          )}
        </p>
      )}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
