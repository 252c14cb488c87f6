import type { Column } from "./jobs-table-layout";
import { defaultOrder, type JobSort } from "./list-state";

type SortableHeaderProps = { column: Column; sort: JobSort; onSortChange: (sort: JobSort) => void };

/**
 * A column's header. A sortable one is a button that sorts by it (names A→Z and dates newest first
 * to begin with, reversed on a second click) and says how the list is sorted now.
 */
export function SortableHeader({ column, sort, onSortChange }: SortableHeaderProps) {
  if (!column.sortBy) {
    return (
      <div role="columnheader" className={`header ${column.className ?? ""}`}>
        {column.label}
      </div>
    );
  }
  const by = column.sortBy;
  const isSorted = sort.by === by;
  const nextOrder = isSorted ? (sort.order === "asc" ? "desc" : "asc") : defaultOrder(by);
  return (
    <div
      role="columnheader"
      className={`header ${column.className ?? ""}`}
      aria-sort={isSorted ? (sort.order === "asc" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="sort-button"
        title={`Sort by ${column.label.toLowerCase()}, ${nextOrder === "asc" ? "ascending" : "descending"}`}
        onClick={() => onSortChange({ by, order: nextOrder })}
      >
        {column.label}
        <span aria-hidden="true" className={isSorted ? "sort-icon sorted" : "sort-icon"}>
          {isSorted ? (sort.order === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </div>
  );
}
