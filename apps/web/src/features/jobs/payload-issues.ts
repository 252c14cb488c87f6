/**
 * What is wrong with a job before and after it is sent: the payload text as JSON, checked against
 * the type's schema here, and the server's details sorted to the field they are about.
 */
import type { ErrorDetail } from "@jobdeck/contract";
import { validateJson, type SchemaIssue } from "../../lib/json-schema";

export type ParsedPayload = { value: unknown; error?: undefined } | { value?: undefined; error: string };

export function parsePayload(text: string): ParsedPayload {
  if (text.trim() === "") return { error: "is required: enter a JSON value" };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `is not valid JSON: ${(error as Error).message}` };
  }
}

/** The issues found before sending: the JSON itself, then the schema (unknown keywords are skipped). */
export function checkPayload(parsed: ParsedPayload, payloadSchema: unknown): SchemaIssue[] {
  return parsed.error !== undefined
    ? [{ path: "payload", message: parsed.error }]
    : validateJson(payloadSchema, parsed.value, "payload");
}

export type IssuesByField = { type: ErrorDetail[]; payload: ErrorDetail[]; form: ErrorDetail[] };

/** The server's details by the field they name; anything else belongs to the whole form. */
export function issuesByField(details: ErrorDetail[]): IssuesByField {
  const byField: IssuesByField = { type: [], payload: [], form: [] };
  for (const detail of details) {
    const { path } = detail;
    const field =
      path === "type" ? "type" : path === "payload" || path.startsWith("payload.") ? "payload" : "form";
    byField[field].push(detail);
  }
  return byField;
}

/** An issue as the form lists it: inside the payload, by its path there ("items[0]: must be …"). */
export const issueText = (issue: SchemaIssue) =>
  issue.path === "payload" ? issue.message : `${issue.path.replace(/^payload\./, "")}: ${issue.message}`;
