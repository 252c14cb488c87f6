import type { JobStatus } from "@jobdeck/contract";

/** The status as a word in a coloured pill: colour helps, the word carries the meaning. */
export function StatusBadge({ status }: { status: JobStatus }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
