import type { JobFilters } from "@jobdeck/contract";
import type { SqlValue } from "../db/raw-sql.js";

const placeholders = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/**
 * The list's filters (spec §5) as SQL conditions, shared by the list and the stats. Every value is
 * a bound parameter, pushed onto `values` in the order of the `?`s.
 */
export function filterConditions(userId: string, query: JobFilters, values: SqlValue[]): string[] {
  const conditions = [`"userId" = ?`];
  values.push(userId);
  if (query.type) {
    conditions.push(`"type" IN (${placeholders(query.type)})`);
    values.push(...query.type);
  }
  if (query.status) {
    conditions.push(`"status" IN (${placeholders(query.status)})`);
    values.push(...query.status);
  }
  if (query.resultType) {
    conditions.push(`"resultType" IN (${placeholders(query.resultType)})`);
    values.push(...query.resultType);
  }
  if (query.createdFrom !== undefined) {
    conditions.push(`"createdAt" >= ?`);
    values.push(new Date(query.createdFrom));
  }
  if (query.createdTo !== undefined) {
    conditions.push(`"createdAt" <= ?`);
    values.push(new Date(query.createdTo));
  }
  return conditions;
}
