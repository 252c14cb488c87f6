import type { Problem } from "../../lib/api-errors";

export type ListFooterProps = {
  loadedCount: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  /** Why the last page request failed, if it did. */
  nextPageProblem: Problem | undefined;
  fetchNextPage: () => void;
  /** The last page stopped at the server's scan limit: more may match further on. */
  isPartial?: boolean;
};

/** The last row of the list: more is loading, more is below, the next page failed, or the end. */
export function ListFooter({
  loadedCount,
  hasNextPage,
  isFetchingNextPage,
  nextPageProblem,
  fetchNextPage,
  isPartial = false,
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
  if (isPartial && hasNextPage) return <PartialNotice onContinue={fetchNextPage} />;
  if (hasNextPage) return <div className="muted">More jobs below — keep scrolling</div>;
  return (
    <div className="muted" role="status">
      End of list · {loadedCount.toLocaleString()} {loadedCount === 1 ? "job" : "jobs"}
    </div>
  );
}

/**
 * The server read as many jobs as one request may without finding more matches: the list may be
 * incomplete. Going on is the reader's choice, since each request reads that many again. Payload,
 * result, error code and wait filters are checked job by job (no index narrows them): they stop early.
 */
export function PartialNotice({ onContinue }: { onContinue: () => void }) {
  return (
    <div role="status" className="partial-notice">
      <span>
        This list may be incomplete: payload, result, error code and wait filters are checked job by job, and
        the server stopped after searching as many jobs as one request may (100,000 unless FILTER_SCAN_LIMIT
        says otherwise). More matches may come further on.
      </span>
      <button type="button" className="button small" onClick={onContinue}>
        Keep searching
      </button>
    </div>
  );
}
