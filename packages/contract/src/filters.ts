import { z } from "zod";

/**
 * §15's filters whose names are not fixed: `metadata.<key>`, `payload.<path>` and `result.<path>`.
 * A query schema made with `withDynamicFilters` accepts them beside its own fields and refuses any
 * other name, as a strict schema does. The fixed filters (tag, errorCode, idPrefix, …) are in
 * jobs.ts with the list's other filters.
 */

/** Names a payload or result path has at most (§15). */
export const JSON_PATH_DEPTH_MAX = 8;
const METADATA_FILTER_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** A path name is any text but a dot; `"` and `\` are refused, since SQLite's JSON paths cannot quote them. */
const PATH_NAME_PATTERN = /^[^."\\]{1,64}$/;
const FILTER_VALUE_MAX = 1024;

/** A filter value as it is compared: the JSON it parses as, else the text itself as a string. */
export type FilterValue = string | number | boolean | null | FilterValue[] | { [key: string]: FilterValue };

/** `payload.a.b=3`: the JSON value at path ["a", "b"] equals 3. */
export type JsonPathFilter = { path: string[]; value: FilterValue };
/** `metadata.team=billing`: the metadata value of `team` equals "billing". */
export type MetadataFilter = { key: string; value: FilterValue };

/** The parsed form of the dynamic filters, on JobFilters beside the fixed ones. */
export type DynamicFilters = {
  metadataEquals?: MetadataFilter[];
  payloadEquals?: JsonPathFilter[];
  resultEquals?: JsonPathFilter[];
};

/**
 * `3` is the number 3, `"3"` (quoted) the string "3", `true` the boolean; text that is not JSON is
 * a string as it is (`billing`, `a,b`: a comma is part of the value).
 */
export function parseFilterValue(raw: string): FilterValue {
  try {
    return JSON.parse(raw) as FilterValue;
  } catch {
    return raw;
  }
}

const DYNAMIC_PREFIXES = ["metadata.", "payload.", "result."] as const;

/** Whether a query parameter's name is one of the dynamic filters' (whatever follows the prefix). */
export const isDynamicFilterName = (name: string): boolean =>
  DYNAMIC_PREFIXES.some((prefix) => name.startsWith(prefix));

type Parsed =
  | { kind: "metadata"; filter: MetadataFilter }
  | { kind: "payload" | "result"; filter: JsonPathFilter }
  | { problem: string };

function parseDynamic(name: string, raw: unknown): Parsed {
  const prefix = DYNAMIC_PREFIXES.find((candidate) => name.startsWith(candidate));
  if (!prefix) return { problem: "is not an accepted field" };
  if (typeof raw !== "string") return { problem: "must be given once" };
  if (raw.length > FILTER_VALUE_MAX)
    return { problem: `must be at most ${FILTER_VALUE_MAX} characters long` };
  const rest = name.slice(prefix.length);
  const value = parseFilterValue(raw);
  if (prefix === "metadata.") {
    // The key is the whole rest of the name: metadata keys may contain dots.
    if (!METADATA_FILTER_KEY_PATTERN.test(rest))
      return { problem: "the key must be 1–64 characters of A–Z, a–z, 0–9, _, . or -" };
    return { kind: "metadata", filter: { key: rest, value } };
  }
  const path = rest.split(".");
  if (path.length > JSON_PATH_DEPTH_MAX)
    return { problem: `the path must have at most ${JSON_PATH_DEPTH_MAX} dot-separated names` };
  if (!path.every((part) => PATH_NAME_PATTERN.test(part)))
    return { problem: 'the path must be dot-separated names of 1–64 characters, without " or \\' };
  return { kind: prefix === "payload." ? "payload" : "result", filter: { path, value } };
}

/**
 * An object schema of `shape` that also takes the dynamic filters, parsed into `metadataEquals`,
 * `payloadEquals` and `resultEquals`; any other unknown name is refused ("is not an accepted field").
 */
export function withDynamicFilters<S extends z.ZodRawShape>(shape: S) {
  const known = new Set(Object.keys(shape));
  return z
    .object(shape)
    .catchall(z.unknown())
    .transform((input, ctx) => {
      const fixed: Record<string, unknown> = {};
      const dynamic: Required<DynamicFilters> = { metadataEquals: [], payloadEquals: [], resultEquals: [] };
      for (const [name, raw] of Object.entries(input)) {
        if (known.has(name)) {
          if (raw !== undefined) fixed[name] = raw;
          continue;
        }
        const parsed = parseDynamic(name, raw);
        if ("problem" in parsed) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: parsed.problem });
          continue;
        }
        if (parsed.kind === "metadata") dynamic.metadataEquals.push(parsed.filter);
        else dynamic[`${parsed.kind}Equals`].push(parsed.filter);
      }
      const present: DynamicFilters = {};
      for (const key of ["metadataEquals", "payloadEquals", "resultEquals"] as const)
        if (dynamic[key].length > 0) present[key] = dynamic[key] as never;
      return { ...(fixed as z.output<z.ZodObject<S>>), ...present };
    });
}

/** JSON equality: numbers by value, objects whatever their keys' order. */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => isSameJson(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(bRecord).length) return false;
  return aKeys.every(
    (key) => Object.hasOwn(bRecord, key) && isSameJson((a as Record<string, unknown>)[key], bRecord[key]),
  );
}

/** The value at `path` inside `json` (object members only), or undefined when the path is missing. */
export function valueAtPath(json: unknown, path: readonly string[]): unknown {
  let at: unknown = json;
  for (const name of path) {
    if (typeof at !== "object" || at === null || Array.isArray(at)) return undefined;
    if (!Object.hasOwn(at, name)) return undefined;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}
