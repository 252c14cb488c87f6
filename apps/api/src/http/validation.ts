import type { ErrorDetail } from "@jobdeck/contract";
import type { ZodError, ZodIssue } from "zod";

const joinPath = (parts: (string | number)[]) => parts.map(String).join(".");

function issueDetails(issue: ZodIssue, prefix: (string | number)[]): ErrorDetail[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: joinPath([...path, key]), message: "is not an accepted field" }));
  }
  if (issue.code === "invalid_type" && issue.received === "undefined") {
    return [{ path: joinPath(path), message: "is required" }];
  }
  if (issue.code === "invalid_union" && issue.unionErrors.length > 0) {
    return [{ path: joinPath(path), message: "does not match any accepted form" }];
  }
  return [{ path: joinPath(path), message: issue.message }];
}

/** Zod issues as the spec's `details`: one entry per field, each naming it (`payload.ms`, `limit`). */
export function zodDetails(error: ZodError, prefix: (string | number)[] = []): ErrorDetail[] {
  return error.issues.flatMap((issue) => issueDetails(issue, prefix));
}
