import type { Job } from "@jobdeck/contract";
import { useEffect, useRef } from "react";
import { jobDuration } from "../../lib/format";
import { JobRow } from "./job-row";
import { COLUMNS, ROW_HEIGHT } from "./jobs-table-layout";
import { ListFooter, type ListFooterProps } from "./list-footer";
import type { ListMemory } from "./list-memory";
import type { JobSort } from "./list-state";
import { SortableHeader } from "./sortable-header";
import { useRowNavigation } from "./use-row-navigation";
import { useRowWindow } from "./use-row-window";

/** Ask for the next page while this many loaded rows are still below the viewport. */
const PREFETCH_ROWS = 40;

type JobsTableProps = {
  jobs: Job[];
  sort: JobSort;
  onSortChange: (sort: JobSort) => void;
  /** Where this list was left (scroll offset, focused job), to come back to the same place. */
  memory: ListMemory;
  highlightedId: string | undefined;
  /** Rows ticked for a bulk operation, and how one is ticked or unticked; absent: no checkboxes. */
  selection?: { ids: ReadonlySet<string>; toggle: (jobId: string) => void };
} & Omit<ListFooterProps, "loadedCount">;

/**
 * The loaded jobs as a table that renders only the rows on screen (10,000 rows scroll like 50),
 * asks for the next page before the reader reaches the end, and keeps its scroll offset in
 * `memory` for the reader's return. A table by its ARIA roles, laid out as flex rows in normal flow
 * (styles.css says why).
 */
export function JobsTable({
  jobs,
  sort,
  onSortChange,
  memory,
  highlightedId,
  selection,
  ...paging
}: JobsTableProps) {
  const { hasNextPage, isFetchingNextPage, nextPageProblem, fetchNextPage, isPartial } = paging;
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  const rows = useRowWindow({
    count: jobs.length,
    rowHeight: ROW_HEIGHT,
    overscan: 10,
    scrollRef,
    initialOffset: memory.scrollTop,
  });
  const lastIndex = rows.end - 1;

  useEffect(() => {
    // After a partial page the reader decides whether to read on (see ListFooter).
    if (
      hasNextPage &&
      !isFetchingNextPage &&
      !nextPageProblem &&
      !isPartial &&
      lastIndex >= jobs.length - PREFETCH_ROWS
    ) {
      fetchNextPage();
    }
  }, [lastIndex, jobs.length, hasNextPage, isFetchingNextPage, nextPageProblem, isPartial, fetchNextPage]);

  const { activeIndex, bodyHandlers } = useRowNavigation({
    jobs,
    memory,
    bodyRef,
    scrollToIndex: rows.scrollToIndex,
    onToggleSelected: selection?.toggle,
  });

  const { paddingTop, paddingBottom } = rows;
  const now = Date.now();

  return (
    <div
      className="table-scroll"
      ref={scrollRef}
      onScroll={(event) => {
        memory.scrollTop = event.currentTarget.scrollTop;
      }}
    >
      <div
        role="table"
        className="jobs-table"
        aria-label="Jobs"
        aria-rowcount={hasNextPage ? -1 : jobs.length + 1}
      >
        <div role="rowgroup" className="jobs-head">
          <div role="row" aria-rowindex={1} className="head-row">
            {COLUMNS.map((column) => (
              <SortableHeader key={column.id} column={column} sort={sort} onSortChange={onSortChange} />
            ))}
          </div>
        </div>
        <div role="rowgroup" ref={bodyRef} {...bodyHandlers}>
          <Spacer height={paddingTop} />
          {jobs.slice(rows.start, rows.end).map((job, offset) => {
            const index = rows.start + offset;
            return (
              <JobRow
                key={job.id}
                job={job}
                index={index}
                isActive={index === activeIndex}
                isHighlighted={job.id === highlightedId}
                duration={jobDuration(job, now)}
                isSelected={selection?.ids.has(job.id)}
                onToggleSelected={selection?.toggle}
              />
            );
          })}
          <Spacer height={paddingBottom} />
          <div role="row" className="list-footer">
            <div role="cell" aria-colspan={COLUMNS.length}>
              <ListFooter loadedCount={jobs.length} {...paging} />
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * Stands for the rows above or below the rendered ones, so that the scrollbar is true. A block in
 * the rows' flow, not a table row: growing it by the height of the rows removed above leaves every
 * remaining row where it was, so none of them is laid out or painted again.
 */
function Spacer({ height }: { height: number }) {
  return <div aria-hidden="true" style={{ height }} />;
}
