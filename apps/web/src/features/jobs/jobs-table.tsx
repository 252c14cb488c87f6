import type { Job, SortBy } from "@jobdeck/contract";
import { useVirtualizer } from "@tanstack/react-virtual";
import {
  memo,
  useEffect,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
} from "react";
import { CopyButton } from "../../components/copy-button";
import { Link } from "../../components/link";
import { StatusBadge } from "../../components/status-badge";
import type { Problem } from "../../lib/api-errors";
import { copyText } from "../../lib/clipboard";
import { formatDuration, formatTime, formatTimeFull, jobDuration, shortId } from "../../lib/format";
import { notify } from "../../lib/notices";
import { navigate, paths } from "../../lib/router";
import type { ListMemory } from "./list-memory";
import { defaultOrder, type JobSort } from "./list-state";

export const ROW_HEIGHT = 34;
/** Ask for the next page while this many loaded rows are still below the viewport. */
const PREFETCH_ROWS = 40;
const PAGE_ROWS = 15;

type Column = { id: string; label: string; sortBy?: SortBy; className?: string };
const COLUMNS: Column[] = [
  { id: "id", label: "ID", className: "col-id" },
  { id: "type", label: "Type", sortBy: "type", className: "col-type" },
  { id: "status", label: "Status", sortBy: "status", className: "col-status" },
  { id: "result", label: "Result", className: "col-result" },
  { id: "created", label: "Created", sortBy: "createdAt", className: "col-time" },
  { id: "updated", label: "Updated", sortBy: "updatedAt", className: "col-time" },
  { id: "duration", label: "Duration", className: "col-duration" },
  { id: "attempts", label: "Attempts", className: "col-attempts" },
];

type JobsTableProps = {
  jobs: Job[];
  sort: JobSort;
  onSortChange: (sort: JobSort) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  nextPageProblem: Problem | undefined;
  fetchNextPage: () => void;
  /** Where this list was left (scroll offset, focused job), to come back to the same place. */
  memory: ListMemory;
  highlightedId: string | undefined;
};

export function JobsTable(props: JobsTableProps) {
  const {
    jobs,
    sort,
    onSortChange,
    hasNextPage,
    isFetchingNextPage,
    nextPageProblem,
    fetchNextPage,
    memory,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [activeIndex, setActiveIndex] = useState(() =>
    Math.max(0, memory.activeId ? jobs.findIndex((job) => job.id === memory.activeId) : 0),
  );
  // Coming back to a list (from a job, with Escape or the back button): focus the row left from.
  const focusPending = useRef(jobs[activeIndex]?.id === memory.activeId && memory.activeId !== undefined);

  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialOffset: () => memory.scrollTop,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !nextPageProblem && lastIndex >= jobs.length - PREFETCH_ROWS) {
      fetchNextPage();
    }
  }, [lastIndex, jobs.length, hasNextPage, isFetchingNextPage, nextPageProblem, fetchNextPage]);

  // Keyboard moves can land on a row that is not rendered yet: focus it once it is.
  useEffect(() => {
    if (!focusPending.current) return;
    const row = bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${activeIndex}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  const clampedActive = Math.min(activeIndex, Math.max(0, jobs.length - 1));
  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(jobs.length - 1, index));
    focusPending.current = true;
    setActiveIndex(next);
    memory.activeId = jobs[next]?.id;
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const job = jobs[clampedActive];
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(clampedActive + 1),
      j: () => moveTo(clampedActive + 1),
      ArrowUp: () => moveTo(clampedActive - 1),
      k: () => moveTo(clampedActive - 1),
      PageDown: () => moveTo(clampedActive + PAGE_ROWS),
      PageUp: () => moveTo(clampedActive - PAGE_ROWS),
      Home: () => moveTo(0),
      End: () => moveTo(jobs.length - 1),
      Enter: () => job && navigate(paths.job(job.id)),
      o: () => job && navigate(paths.job(job.id)),
      c: () =>
        job && void copyText(job.id).then((ok) => notify(ok ? "Copied job id" : "Could not copy job id")),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  // Clicks and focus are handled once for the whole body, not per row, so that rows keep the same
  // props while the list scrolls and only the rows scrolled into view render (see JobRow).
  const rowAt = (target: EventTarget) => {
    const row = (target as HTMLElement).closest<HTMLElement>("tr[data-index]");
    const index = Number(row?.dataset.index);
    const job = row ? jobs[index] : undefined;
    return job ? { job, index } : undefined;
  };
  const onRowClick = (event: MouseEvent<HTMLTableSectionElement>) => {
    const row = rowAt(event.target);
    if (!row || (event.target as HTMLElement).closest("a, button")) return;
    memory.activeId = row.job.id;
    setActiveIndex(row.index);
    if (event.ctrlKey || event.metaKey) window.open(paths.job(row.job.id), "_blank", "noopener");
    else navigate(paths.job(row.job.id));
  };
  const onRowFocus = (event: FocusEvent<HTMLTableSectionElement>) => {
    const row = rowAt(event.target);
    if (!row) return;
    if (row.index !== clampedActive) setActiveIndex(row.index);
    memory.activeId = row.job.id;
  };

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const now = Date.now();

  return (
    <div
      className="table-scroll"
      ref={scrollRef}
      onScroll={(event) => {
        memory.scrollTop = event.currentTarget.scrollTop;
      }}
    >
      <table className="jobs-table" aria-label="Jobs" aria-rowcount={hasNextPage ? -1 : jobs.length + 1}>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.id} className={column.className} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => (
              <SortableHeader key={column.id} column={column} sort={sort} onSortChange={onSortChange} />
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown} onClick={onRowClick} onFocus={onRowFocus}>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="spacer" style={{ height: paddingTop }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {items.map((item) => {
            const job = jobs[item.index];
            if (!job) return null;
            return (
              <JobRow
                key={job.id}
                job={job}
                index={item.index}
                isActive={item.index === clampedActive}
                isHighlighted={job.id === props.highlightedId}
                duration={jobDuration(job, now)}
              />
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="spacer" style={{ height: paddingBottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          <tr className="list-footer">
            <td colSpan={COLUMNS.length}>
              <ListFooter {...props} />
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

type JobRowProps = { job: Job; index: number; isActive: boolean; isHighlighted: boolean; duration?: number };

/**
 * One job's row. Memoised: the list re-renders on every scroll event, and without this each
 * rendered row would too, although only the one or two rows scrolling into view are new.
 */
const JobRow = memo(function JobRow({ job, index, isActive, isHighlighted, duration }: JobRowProps) {
  return (
    <tr
      data-index={index}
      data-job-id={job.id}
      aria-rowindex={index + 2}
      tabIndex={isActive ? 0 : -1}
      className={isHighlighted ? "row row-new" : "row"}
    >
      <td className="cell-id">
        <Link
          to={paths.job(job.id)}
          tabIndex={-1}
          className="mono"
          title={job.id}
          aria-label={`Job ${job.id}`}
        >
          {shortId(job.id)}
        </Link>
        <CopyButton text={job.id} what="job id" tabIndex={-1} className="icon-button copy-id" />
      </td>
      <td className="truncate" title={job.type}>
        {job.type}
      </td>
      <td>
        <StatusBadge status={job.status} />
      </td>
      <td className="muted">{job.resultType}</td>
      <td>
        <time dateTime={job.createdAt} title={formatTimeFull(job.createdAt)}>
          {formatTime(job.createdAt)}
        </time>
      </td>
      <td>
        <time dateTime={job.updatedAt} title={formatTimeFull(job.updatedAt)}>
          {formatTime(job.updatedAt)}
        </time>
      </td>
      <td className="num">{duration === undefined ? "—" : formatDuration(duration)}</td>
      <td className="num">
        {job.attempts}/{job.maxAttempts}
      </td>
    </tr>
  );
});

function ListFooter({
  jobs,
  hasNextPage,
  isFetchingNextPage,
  nextPageProblem,
  fetchNextPage,
}: JobsTableProps) {
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
      End of list · {jobs.length.toLocaleString()} {jobs.length === 1 ? "job" : "jobs"}
    </div>
  );
}

function SortableHeader({
  column,
  sort,
  onSortChange,
}: {
  column: Column;
  sort: JobSort;
  onSortChange: (sort: JobSort) => void;
}) {
  if (!column.sortBy) {
    return (
      <th scope="col" className={column.className}>
        {column.label}
      </th>
    );
  }
  const by = column.sortBy;
  const isSorted = sort.by === by;
  const nextOrder = isSorted ? (sort.order === "asc" ? "desc" : "asc") : defaultOrder(by);
  return (
    <th
      scope="col"
      className={column.className}
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
    </th>
  );
}
