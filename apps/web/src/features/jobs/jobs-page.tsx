import { BULK_IDS_MAX } from "@jobdeck/contract";
import { hashKey } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "../../components/link";
import { PhoneFold } from "../../components/phone-fold";
import { ProblemPanel } from "../../components/problem-panel";
import { tsr } from "../../lib/api-client";
import { toProblem } from "../../lib/api-errors";
import { useHotkeys } from "../../lib/use-hotkeys";
import { navigate, paths, useLocation } from "../../lib/router";
import { useQueues } from "../queues/use-queues";
import { useSchedules } from "../schedules/use-schedules";
import { BulkActions } from "../bulk-operations/bulk-actions";
import { FilterBar } from "./filter-bar";
import { ExportJobs } from "./export-jobs";
import { countFilters } from "./filter-count";
import { restartLists, useArrivals } from "./job-cache";
import { JobsTable } from "./jobs-table";
import { ROW_HEIGHT } from "./jobs-table-layout";
import { JumpToJob } from "./jump-to-job";
import { PartialNotice } from "./list-footer";
import {
  clearJustCreated,
  enterList,
  peekJustCreated,
  rememberListSearch,
  restartListMemory,
} from "./list-memory";
import {
  EMPTY_FILTERS,
  hasActiveFilters,
  parseListState,
  serializeListState,
  toListQuery,
  type ListState,
} from "./list-state";
import { useJobStats } from "./use-job-stats";
import { useJobTypes } from "./use-job-types";
import { useJobs } from "./use-jobs";

export function JobsPage() {
  const { search } = useLocation();
  const state = useMemo(() => parseListState(search), [search]);
  const canonical = serializeListState(state);
  const queryClient = tsr.useQueryClient();
  const jumpRef = useRef<HTMLInputElement>(null);
  const [highlightedId] = useState(peekJustCreated);
  useEffect(clearJustCreated, []);

  const memory = useMemo(() => enterList(canonical), [canonical]);
  useEffect(() => {
    memory.leftAt = undefined;
    return () => {
      memory.leftAt = Date.now();
    };
  }, [memory]);
  // Refresh re-pins the window in `memory`; this state only makes React render again.
  const [, setRefreshes] = useState(0);
  const { pinnedAt } = memory;
  const query = useMemo(() => toListQuery(state, pinnedAt), [state, pinnedAt]);
  const listKey = hashKey([query]);

  const list = useJobs(query);
  const jobTypes = useJobTypes();
  const stats = useJobStats(query);
  const queues = useQueues();
  const schedules = useSchedules({ isPolled: false });
  const arrivals = useArrivals(query);

  useEffect(() => rememberListSearch(canonical), [canonical]);

  // Rows ticked for a bulk operation by id (at most BULK_IDS_MAX, what one request takes); another
  // view starts with none ticked.
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(NONE_SELECTED);
  useEffect(() => setSelectedIds(NONE_SELECTED), [listKey]);
  const toggleSelected = useCallback((jobId: string) => {
    setSelectedIds((selected) => {
      const next = new Set(selected);
      if (next.has(jobId)) next.delete(jobId);
      else if (next.size < BULK_IDS_MAX) next.add(jobId);
      return next;
    });
  }, []);
  const selection = useMemo(
    () => ({ ids: selectedIds, toggle: toggleSelected }),
    [selectedIds, toggleSelected],
  );
  const selectedList = useMemo(() => [...selectedIds], [selectedIds]);

  // Keep the canonical form in the address bar (a hand-typed or old link is tidied, not pushed).
  useEffect(() => {
    if (search !== canonical && !(search === "?" && canonical === ""))
      navigate(paths.list(canonical), { replace: true });
  }, [search, canonical]);

  const setState = (next: ListState) => navigate(paths.list(serializeListState(next)));
  const refresh = () => {
    restartListMemory(memory);
    setRefreshes((n) => n + 1);
    void restartLists(queryClient);
  };

  useHotkeys({
    "/": () => jumpRef.current?.focus(),
    r: refresh,
    j: focusTable,
    k: focusTable,
  });

  const loadedIds = useMemo(() => new Set(list.jobs.map((job) => job.id)), [list.jobs]);
  const arrivalCount = [...arrivals].filter((id) => !loadedIds.has(id)).length;
  const isFiltered = hasActiveFilters(state.filters);
  // The counts leave the status filter out (see useJobStats); the view's own total adds it back.
  const { statuses } = state.filters;
  const matching =
    stats.data &&
    (statuses.length > 0
      ? statuses.reduce((sum, status) => sum + stats.data.byStatus[status], 0)
      : stats.data.total);

  return (
    <div className="jobs-page">
      <h1 className="visually-hidden">Jobs</h1>
      <div className="toolbar">
        <PhoneFold label="Filters" count={countFilters(state.filters)}>
          <FilterBar
            filters={state.filters}
            onChange={(filters) => setState({ ...state, filters })}
            jobTypes={jobTypes.data}
            statusCounts={stats.data?.byStatus}
            queueNames={queues.isSuccess ? queues.queues.map((queue) => queue.name) : undefined}
            schedules={schedules.isSuccess ? schedules.schedules : undefined}
          />
        </PhoneFold>
        <div className="toolbar-end">
          <JumpToJob ref={jumpRef} loadedJobs={list.jobs} />
          <button type="button" className="button" onClick={refresh} title="Reload from the first page (r)">
            Refresh
          </button>
        </div>
      </div>
      <div className="list-summary">
        <span className="muted">
          {list.isSuccess &&
            (matching !== undefined
              ? `${list.jobs.length.toLocaleString()} of ${matching.toLocaleString()} ${matching === 1 ? "job" : "jobs"} loaded`
              : `${list.jobs.length.toLocaleString()}${list.hasNextPage ? "+" : ""} ${list.jobs.length === 1 ? "job" : "jobs"}`)}
        </span>
        {list.isSuccess && list.jobs.length > 0 && (
          <BulkActions
            filter={bulkFilterOf(query)}
            selectedIds={selectedList}
            onClearSelection={() => setSelectedIds(NONE_SELECTED)}
          />
        )}
        {list.isSuccess && list.jobs.length > 0 && <ExportJobs query={query} />}
        {arrivalCount > 0 && (
          <div className="arrivals" role="status">
            {arrivalCount === 1 ? "1 new job" : `${arrivalCount} new jobs`} in this view{" "}
            <button type="button" className="button small primary" onClick={refresh}>
              Show
            </button>
          </div>
        )}
      </div>
      {list.isPending ? (
        <LoadingRows />
      ) : list.isError && list.jobs.length === 0 ? (
        <ProblemPanel
          title="The jobs could not be loaded"
          problem={toProblem(list.error)}
          onRetry={() => void list.refetch()}
        />
      ) : list.jobs.length === 0 && list.isPartial && list.hasNextPage ? (
        <div className="panel empty">
          <h2>No matching jobs found yet</h2>
          {list.isFetchingNextPage ? (
            <p role="status">Searching…</p>
          ) : (
            <PartialNotice onContinue={() => void list.fetchNextPage()} />
          )}
        </div>
      ) : list.jobs.length === 0 ? (
        <EmptyState isFiltered={isFiltered} onClear={() => setState({ ...state, filters: EMPTY_FILTERS })} />
      ) : (
        <JobsTable
          key={listKey}
          jobs={list.jobs}
          sort={state.sort}
          onSortChange={(sort) => setState({ ...state, sort })}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          nextPageProblem={list.isFetchNextPageError ? toProblem(list.error) : undefined}
          fetchNextPage={() => void list.fetchNextPage()}
          isPartial={list.isPartial}
          memory={memory}
          highlightedId={highlightedId}
          selection={selection}
        />
      )}
    </div>
  );
}

const NONE_SELECTED: ReadonlySet<string> = new Set();

/** The view's filters as a bulk operation's `filter`: the list's query without its sort. */
function bulkFilterOf({ sortBy: _sortBy, sortOrder: _sortOrder, ...filter }: ReturnType<typeof toListQuery>) {
  return filter;
}

function focusTable() {
  document.querySelector<HTMLElement>('.jobs-table [role="row"][tabindex="0"]')?.focus();
}

function LoadingRows() {
  return (
    <div className="table-scroll loading" role="status" aria-label="Loading jobs">
      {Array.from({ length: 12 }, (_, i) => (
        <div key={i} className="skeleton-row" style={{ height: ROW_HEIGHT }} />
      ))}
    </div>
  );
}

function EmptyState({ isFiltered, onClear }: { isFiltered: boolean; onClear: () => void }) {
  if (isFiltered) {
    return (
      <div className="panel empty">
        <h2>No jobs match these filters</h2>
        <p className="muted">Widen the created range, choose other statuses or types, or start over.</p>
        <button type="button" className="button primary" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="panel empty">
      <h2>No jobs yet</h2>
      <p className="muted">Jobs you create through the API or here appear in this list.</p>
      <Link to={paths.create()} className="button primary">
        Create a job
      </Link>
    </div>
  );
}
