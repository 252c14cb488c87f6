import type { Problem } from "../../lib/api-errors";

export type ListFooterProps = {
  loadedCount: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  /** Why the last page request failed, if it did. */
  nextPageProblem: Problem | undefined;
  fetchNextPage: () => void;
};

/** The last row of the list: more is loading, more is below, the next page failed, or the end. */
export function ListFooter({
  loadedCount,
  hasNextPage,
  isFetchingNextPage,
  nextPageProblem,
  fetchNextPage,
}: ListFooterProps) {
  if (nextPageProblem) {
    return (
      <div role="alert" className="footer-error">
        Could not load more jobs: {nextPageProblem.message}{" "}
        <button type="button" className="button small" onClick={fetchNextPage}>
          Try again
        </button>
      </div>
    );
  }
  if (isFetchingNextPage) return <div role="status">Loading more jobs…</div>;
  if (hasNextPage) return <div className="muted">More jobs below — keep scrolling</div>;
  return (
    <div className="muted" role="status">
      End of list · {loadedCount.toLocaleString()} {loadedCount === 1 ? "job" : "jobs"}
    </div>
  );
}
