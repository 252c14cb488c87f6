import type { ViewFilters } from "./list-state";

/** How many filters are set: each list that has values, each field filter, and the created window once. */
export function countFilters(filters: ViewFilters): number {
  const { createdPreset, createdFrom, createdTo, fields, ...rest } = filters;
  const isCreatedSet = createdPreset !== undefined || createdFrom !== undefined || createdTo !== undefined;
  const others = Object.values(rest).filter((value: unknown) =>
    Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== "",
  );
  return others.length + fields.length + (isCreatedSet ? 1 : 0);
}
