import type { SchemaIssue } from "../../lib/json-schema";
import { issueText } from "./payload-issues";

/** The issues of one field, under it; `id` is what the field's aria-describedby points at. */
export function FieldIssues({ id, issues }: { id: string; issues: SchemaIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="field-issues">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>{issueText(issue)}</li>
      ))}
    </ul>
  );
}
