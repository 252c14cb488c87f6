/**
 * The jobs list's filters and sort, kept in the query string so that a view can be shared and the
 * back button steps through it. `parseListState` accepts anything (a hand-edited or stale link
 * loses only the parts that make no sense); `serializeListState` writes one canonical form, so
 * equal views have equal URLs and equal cache keys.
 */
import {
  JOB_STATUSES,
  SORT_FIELDS,
  SORT_ORDERS,
  WAIT_REASONS,
  type Job,
  type JobStatus,
  type SortBy,
  type SortOrder,
  type WaitReason,
} from "@jobdeck/contract";
import type { JobListQuery } from "../../lib/query-keys";
import {
  fieldFilterName,
  fieldFilterOf,
  fieldFilterProblem,
  fieldFiltersOfQuery,
  matchesFieldFilter,
  sortFieldFilters,
  type FieldFilter,
} from "./field-filters";

export const CREATED_PRESETS = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
} as const;
export type CreatedPreset = keyof typeof CREATED_PRESETS;

/**
 * What the filter bar shows, as the reader chose it (arrays, a preset). Not the contract's
 * `JobFilters`, which is the API's parsed query; `toListQuery` turns one into the other's input.
 */
export type ViewFilters = {
  types: string[];
  statuses: JobStatus[];
  resultTypes: string[];
  queues: string[];
  /** Why pending jobs wait (§11). Computed by the server as it reads, so a page may be partial. */
  waitReasons: WaitReason[];
  /** Jobs made by these schedules (§12), by id. */
  scheduleIds: string[];
  /** Jobs created in these batches (§12), by id. */
  batchIds: string[];
  /** Jobs with any of these tags (§15). */
  tags: string[];
  /** Failed jobs with any of these error codes (§15). */
  errorCodes: string[];
  /** `metadata.<key>`, `payload.<path>`, `result.<path>` equal to a value (§15), all of them. */
  fields: FieldFilter[];
  /** A rolling window ("the last hour" whenever the link is opened); excludes from/to. */
  createdPreset: CreatedPreset | undefined;
  /** Unix ms, inclusive. */
  createdFrom: number | undefined;
  createdTo: number | undefined;
};

export type JobSort = { by: SortBy; order: SortOrder };
export type ListState = { filters: ViewFilters; sort: JobSort };

export const EMPTY_FILTERS: ViewFilters = {
  types: [],
  statuses: [],
  resultTypes: [],
  queues: [],
  waitReasons: [],
  scheduleIds: [],
  batchIds: [],
  tags: [],
  errorCodes: [],
  fields: [],
  createdPreset: undefined,
  createdFrom: undefined,
  createdTo: undefined,
};
export const DEFAULT_SORT: JobSort = { by: "createdAt", order: "desc" };

const NAME_MAX = 100;
const VALUES_MAX = 50;

const isStatus = (value: string): value is JobStatus => (JOB_STATUSES as readonly string[]).includes(value);
const isSortBy = (value: string): value is SortBy => (SORT_FIELDS as readonly string[]).includes(value);
const isSortOrder = (value: string): value is SortOrder => (SORT_ORDERS as readonly string[]).includes(value);
const isWaitReason = (value: string): value is WaitReason =>
  (WAIT_REASONS as readonly string[]).includes(value);
const isPreset = (value: string): value is CreatedPreset => Object.hasOwn(CREATED_PRESETS, value);

function names(raw: string | null): string[] {
  if (!raw) return [];
  const values = raw
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value.length > 0 && value.length <= NAME_MAX);
  return [...new Set(values)].sort().slice(0, VALUES_MAX);
}

function instant(raw: string | null): number | undefined {
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The parameters named like the API's field filters that its parser accepts; others are dropped. */
function fieldFilters(params: URLSearchParams): FieldFilter[] {
  const filters: FieldFilter[] = [];
  const seen = new Set<string>();
  for (const [name, value] of params) {
    const filter = fieldFilterOf(name, value);
    // The API refuses a repeated name: the first one given is kept.
    if (!filter || seen.has(name) || fieldFilterProblem(filter) !== undefined) continue;
    seen.add(name);
    filters.push(filter);
  }
  return sortFieldFilters(filters);
}

export function parseListState(search: string): ListState {
  const params = new URLSearchParams(search);
  const statuses = names(params.get("status")).filter(isStatus);
  const waitReasons = names(params.get("wait")).filter(isWaitReason);
  const preset = params.get("created") ?? "";
  let createdFrom = isPreset(preset) ? undefined : instant(params.get("from"));
  let createdTo = isPreset(preset) ? undefined : instant(params.get("to"));
  if (createdFrom !== undefined && createdTo !== undefined && createdFrom > createdTo) {
    [createdFrom, createdTo] = [createdTo, createdFrom];
  }
  const by = params.get("sort") ?? "";
  const order = params.get("order") ?? "";
  const sortBy = isSortBy(by) ? by : DEFAULT_SORT.by;
  return {
    filters: {
      types: names(params.get("type")),
      statuses: JOB_STATUSES.filter((status) => statuses.includes(status)),
      resultTypes: names(params.get("result")),
      queues: names(params.get("queue")),
      waitReasons: WAIT_REASONS.filter((reason) => waitReasons.includes(reason)),
      scheduleIds: names(params.get("schedule")),
      batchIds: names(params.get("batch")),
      tags: names(params.get("tag")),
      errorCodes: names(params.get("error")),
      fields: fieldFilters(params),
      createdPreset: isPreset(preset) ? preset : undefined,
      createdFrom,
      createdTo,
    },
    sort: { by: sortBy, order: isSortOrder(order) ? order : defaultOrder(sortBy) },
  };
}

/**
 * Dates of the past read better newest first, names A to Z; run-at soonest first (what starts next),
 * priority highest first (the order in which jobs are taken).
 */
export function defaultOrder(by: SortBy): SortOrder {
  return by === "createdAt" || by === "updatedAt" || by === "priority" ? "desc" : "asc";
}

// Commas separate values and colons appear in timestamps; both are legal in a query string and
// far easier to read there than %2C and %3A.
const encode = (value: string) => encodeURIComponent(value).replace(/%2C/gi, ",").replace(/%3A/gi, ":");

/** "" for the default view, otherwise "?…" with parameters in a fixed order. */
export function serializeListState({ filters, sort }: ListState): string {
  const parts: string[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value) parts.push(`${key}=${encode(value)}`);
  };
  add("type", [...new Set(filters.types)].sort().join(","));
  add("status", JOB_STATUSES.filter((status) => filters.statuses.includes(status)).join(","));
  add("result", [...new Set(filters.resultTypes)].sort().join(","));
  add("queue", [...new Set(filters.queues)].sort().join(","));
  add("wait", WAIT_REASONS.filter((reason) => filters.waitReasons.includes(reason)).join(","));
  add("schedule", [...new Set(filters.scheduleIds)].sort().join(","));
  add("batch", [...new Set(filters.batchIds)].sort().join(","));
  add("tag", [...new Set(filters.tags)].sort().join(","));
  add("error", [...new Set(filters.errorCodes)].sort().join(","));
  for (const filter of sortFieldFilters(filters.fields)) add(encode(fieldFilterName(filter)), filter.value);
  if (filters.createdPreset) {
    add("created", filters.createdPreset);
  } else {
    add("from", filters.createdFrom === undefined ? undefined : new Date(filters.createdFrom).toISOString());
    add("to", filters.createdTo === undefined ? undefined : new Date(filters.createdTo).toISOString());
  }
  if (sort.by !== DEFAULT_SORT.by || sort.order !== DEFAULT_SORT.order) {
    add("sort", sort.by);
    add("order", sort.order);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

export function hasActiveFilters(filters: ViewFilters): boolean {
  return (
    filters.types.length > 0 ||
    filters.statuses.length > 0 ||
    filters.resultTypes.length > 0 ||
    filters.queues.length > 0 ||
    filters.waitReasons.length > 0 ||
    filters.scheduleIds.length > 0 ||
    filters.batchIds.length > 0 ||
    filters.tags.length > 0 ||
    filters.errorCodes.length > 0 ||
    filters.fields.length > 0 ||
    filters.createdPreset !== undefined ||
    filters.createdFrom !== undefined ||
    filters.createdTo !== undefined
  );
}

/** The created window in Unix ms; a preset is resolved against `now`. */
export function createdWindow(filters: ViewFilters, now: number): { from?: number; to?: number } {
  if (filters.createdPreset) return { from: now - CREATED_PRESETS[filters.createdPreset].ms };
  return { from: filters.createdFrom, to: filters.createdTo };
}

/** The list's link for one filter on its own: a queue's jobs, a schedule's, a batch's. */
export function listOf(filters: Partial<ViewFilters>): string {
  return serializeListState({ filters: { ...EMPTY_FILTERS, ...filters }, sort: DEFAULT_SORT });
}

/** The API query (strings on the wire) for this view. */
export function toListQuery({ filters, sort }: ListState, now: number): JobListQuery {
  const { from, to } = createdWindow(filters, now);
  const query: JobListQuery = { sortBy: sort.by, sortOrder: sort.order };
  if (filters.types.length > 0) query.type = filters.types.join(",");
  if (filters.statuses.length > 0) query.status = filters.statuses.join(",");
  if (filters.resultTypes.length > 0) query.resultType = filters.resultTypes.join(",");
  if (filters.queues.length > 0) query.queue = filters.queues.join(",");
  if (filters.waitReasons.length > 0) query.waitReason = filters.waitReasons.join(",");
  if (filters.scheduleIds.length > 0) query.scheduleId = filters.scheduleIds.join(",");
  if (filters.batchIds.length > 0) query.batchId = filters.batchIds.join(",");
  if (filters.tags.length > 0) query.tag = filters.tags.join(",");
  if (filters.errorCodes.length > 0) query.errorCode = filters.errorCodes.join(",");
  for (const filter of sortFieldFilters(filters.fields)) query[fieldFilterName(filter)] = filter.value;
  if (from !== undefined) query.createdFrom = String(from);
  if (to !== undefined) query.createdTo = String(to);
  return query;
}

/** Whether the API would list this job for `query` (for jobs that arrive through live events). */
export function matchesListQuery(job: Job, query: JobListQuery): boolean {
  // The contract's list query also takes the filter language's dynamic keys, so its fields read as
  // unknown here: a list is a comma-separated string or absent.
  const isIn = (list: unknown, value: string | null) =>
    typeof list !== "string" || (value !== null && list.split(",").includes(value));
  const created = Date.parse(job.createdAt);
  return (
    isIn(query.type, job.type) &&
    isIn(query.status, job.status) &&
    isIn(query.resultType, job.resultType) &&
    isIn(query.queue, job.queue) &&
    isIn(query.scheduleId, job.scheduleId) &&
    isIn(query.batchId, job.batchId) &&
    isIn(query.waitReason, job.waitReason) &&
    isIn(query.errorCode, job.error?.code ?? null) &&
    (typeof query.tag !== "string" || query.tag.split(",").some((tag) => job.tags.includes(tag))) &&
    (query.createdFrom === undefined || created >= Number(query.createdFrom)) &&
    (query.createdTo === undefined || created <= Number(query.createdTo)) &&
    fieldFiltersOfQuery(query).every((filter) => matchesFieldFilter(job, filter))
  );
}
