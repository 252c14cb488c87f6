import type { Problem } from "../../lib/api-errors";
import type { SchemaIssue } from "../../lib/json-schema";
import { issueText } from "./payload-issues";

/**
 * Why the last attempt did not create the job, above the form: no answer (safe to send again), or
 * the server's refusal with the issues that belong to no single field.
 */
export function CreateJobProblem({ problem, issues }: { problem: Problem; issues: SchemaIssue[] }) {
  return (
    <div className="form-error" role="alert">
      {problem.status === undefined ? (
        // The request may have arrived; its Idempotency-Key makes sending it again safe.
        <>
          <strong>No answer from the server.</strong> {problem.message} Creating the job again is safe: it
          will not be created twice.
        </>
      ) : (
        <>
          <strong>The server refused the job.</strong> {problem.message}
        </>
      )}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>{issueText(issue)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
