import type { SortBy } from "@jobdeck/contract";

/** Every row has this height (px), so that the list can place rows it has not rendered (use-row-window.ts). */
export const ROW_HEIGHT = 34;

export type Column = { id: string; label: string; sortBy?: SortBy; className?: string };

/** The table's columns in order; those with `sortBy` are sorted by the API when their header is clicked. */
export const COLUMNS: Column[] = [
  { id: "id", label: "ID", className: "col-id" },
  { id: "type", label: "Type", sortBy: "type", className: "col-type" },
  { id: "status", label: "Status", sortBy: "status", className: "col-status" },
  { id: "queue", label: "Queue", className: "col-queue" },
  { id: "priority", label: "Priority", sortBy: "priority", className: "col-priority" },
  { id: "result", label: "Result", className: "col-result" },
  { id: "created", label: "Created", sortBy: "createdAt", className: "col-time" },
  { id: "run-at", label: "Run at", sortBy: "runAt", className: "col-time" },
  { id: "updated", label: "Updated", sortBy: "updatedAt", className: "col-time" },
  { id: "duration", label: "Duration", className: "col-duration" },
  { id: "attempts", label: "Attempts", className: "col-attempts" },
];
