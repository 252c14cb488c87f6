import type { ErrorDetail } from "@jobdeck/contract";
import { z, type ZodError, type ZodErrorMap, type ZodIssue } from "zod";
import { validationFailed, type AppError } from "../errors.js";

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

/** Zod issues as the error body's `details` (docs/api.md §3.1): one entry per field, each naming it (`payload.ms`, `limit`). */
export function zodDetails(error: ZodError, prefix: (string | number)[] = []): ErrorDetail[] {
  return error.issues.flatMap((issue) => issueDetails(issue, prefix));
}

/** What the contract refused in a request, part by part (ts-rest's RequestValidationError). */
export type RequestRefusals = {
  pathParams?: ZodError | null | undefined;
  headers?: ZodError | null | undefined;
  query?: ZodError | null | undefined;
  body?: ZodError | null | undefined;
};

/**
 * One 400 naming every refused field, in the order ts-rest checks the parts: path, headers, query,
 * body. `bodyDetails` replaces the body's zod details (a batch names each bad item its own way).
 */
export function requestRefused(
  { pathParams, headers, query, body }: RequestRefusals,
  bodyDetails: (error: ZodError) => ErrorDetail[] = zodDetails,
): AppError {
  return validationFailed([
    ...(pathParams ? zodDetails(pathParams) : []),
    ...(headers ? zodDetails(headers) : []),
    ...(query ? zodDetails(query) : []),
    ...(body ? bodyDetails(body) : []),
  ]);
}

const article = (noun: string) =>
  noun === "null" ? "null" : /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;

/**
 * One voice for every validation message, zod's own included: "must be at least 0", "must be a
 * string", like the messages written by hand ("must be an integer between 1 and 100"). A message a
 * schema sets itself still wins.
 */
const errorMap: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === "undefined") return { message: "is required" };
      return { message: `must be ${article(issue.expected)}, not ${article(issue.received)}` };
    case z.ZodIssueCode.too_small: {
      const min = Number(issue.minimum);
      if (issue.type === "string")
        return { message: `must be at least ${min} character${min === 1 ? "" : "s"} long` };
      if (issue.type === "array") return { message: `must have at least ${min} item${min === 1 ? "" : "s"}` };
      return { message: issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}` };
    }
    case z.ZodIssueCode.too_big: {
      const max = Number(issue.maximum);
      if (issue.type === "string")
        return { message: `must be at most ${max} character${max === 1 ? "" : "s"} long` };
      if (issue.type === "array") return { message: `must have at most ${max} item${max === 1 ? "" : "s"}` };
      return { message: issue.inclusive ? `must be at most ${max}` : `must be less than ${max}` };
    }
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `must be one of ${issue.options.join(", ")}` };
    case z.ZodIssueCode.invalid_string:
      if (issue.validation === "url") return { message: "must be a URL" };
      if (issue.validation === "uuid") return { message: "must be a UUID" };
      if (issue.validation === "email") return { message: "must be an email address" };
      return { message: ctx.defaultError };
    case z.ZodIssueCode.not_multiple_of:
      return { message: `must be a multiple of ${String(issue.multipleOf)}` };
    case z.ZodIssueCode.invalid_literal:
      return { message: `must be ${JSON.stringify(issue.expected)}` };
    default:
      return { message: ctx.defaultError };
  }
};

/**
 * Installs the messages above for every zod schema in this process (job types' included). Every
 * process calls it at boot (boot.ts), so a payload a worker re-checks reads as the API words it.
 */
export function installValidationMessages(): void {
  z.setErrorMap(errorMap);
}
