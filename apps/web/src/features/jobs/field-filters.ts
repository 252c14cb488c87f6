/**
 * §15's filters on a job's own fields: `metadata.<key>=<value>`, `payload.<path>=<value>` and
 * `result.<path>=<value>`. The view keeps them as the API names them (one query parameter each),
 * checks them with the contract's own parser before a request is made, and tells whether a job that
 * arrives through a live event matches them.
 */
import {
  isDynamicFilterName,
  isSameJson,
  parseFilterValue,
  parseJobFilterObject,
  valueAtPath,
  type Job,
} from "@jobdeck/contract";

export const FIELD_FILTER_KINDS = ["payload", "result", "metadata"] as const;
export type FieldFilterKind = (typeof FIELD_FILTER_KINDS)[number];

/** `{ kind: "payload", key: "user.id", value: "42" }` is `payload.user.id=42`. */
export type FieldFilter = { kind: FieldFilterKind; key: string; value: string };

/** How many field filters a view keeps (a longer hand-made link loses the rest). */
export const FIELD_FILTERS_MAX = 20;

export const fieldFilterName = ({ kind, key }: Pick<FieldFilter, "kind" | "key">): string => `${kind}.${key}`;

/** The filter a query parameter names, or undefined for any other parameter. */
export function fieldFilterOf(name: string, value: string): FieldFilter | undefined {
  if (!isDynamicFilterName(name)) return undefined;
  const dot = name.indexOf(".");
  const kind = name.slice(0, dot) as FieldFilterKind;
  return { kind, key: name.slice(dot + 1), value };
}

/**
 * Why the API would refuse this filter (the contract's parser says it, on the same terms), or
 * undefined when it is accepted. An empty value is refused here: it would match the empty string,
 * which `""` (quoted) says on purpose.
 */
export function fieldFilterProblem(filter: FieldFilter): string | undefined {
  if (filter.key.length === 0)
    return filter.kind === "metadata" ? "Enter a metadata key." : `Enter a ${filter.kind} path.`;
  if (filter.value.length === 0) return 'Enter a value (for the empty string, type "").';
  const name = fieldFilterName(filter);
  const parsed = parseJobFilterObject({ [name]: filter.value });
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${name}: ${issue?.message ?? "is not accepted"}`;
}

/** Canonical order: by parameter name, so that equal views have equal URLs and cache keys. */
export function sortFieldFilters(filters: readonly FieldFilter[]): FieldFilter[] {
  const byName = new Map<string, FieldFilter>();
  for (const filter of filters) byName.set(fieldFilterName(filter), filter);
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, filter]) => filter)
    .slice(0, FIELD_FILTERS_MAX);
}

function actualValue(job: Job, filter: FieldFilter): unknown {
  if (filter.kind === "metadata")
    return Object.hasOwn(job.metadata, filter.key) ? job.metadata[filter.key] : undefined;
  return valueAtPath(filter.kind === "payload" ? job.payload : job.result, filter.key.split("."));
}

/** The server's rule (§15): exact JSON equality at the path; a missing path matches nothing. */
export function matchesFieldFilter(job: Job, filter: FieldFilter): boolean {
  const actual = actualValue(job, filter);
  return actual !== undefined && isSameJson(actual, parseFilterValue(filter.value));
}

/** The field filters of an API query (its `metadata.…`, `payload.…` and `result.…` parameters). */
export function fieldFiltersOfQuery(query: Record<string, unknown>): FieldFilter[] {
  return Object.entries(query).flatMap(([name, value]) => {
    const filter = typeof value === "string" ? fieldFilterOf(name, value) : undefined;
    return filter ? [filter] : [];
  });
}

/** How a filter reads on its chip: `payload.user.id = 42`. */
export const describeFieldFilter = (filter: FieldFilter) => `${fieldFilterName(filter)} = ${filter.value}`;
