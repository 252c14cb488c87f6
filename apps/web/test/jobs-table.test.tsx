import type { Job } from "@jobdeck/contract";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { JobsTable } from "../src/features/jobs/jobs-table";
import type { ListMemory } from "../src/features/jobs/list-memory";
import { freshMemory, manyJobs } from "./support/jobs";

type TableProps = Parameters<typeof JobsTable>[0];

function renderTable(jobs: Job[], props: Partial<TableProps> = {}) {
  const fetchNextPage = vi.fn();
  const onSortChange = vi.fn();
  const memory: ListMemory = props.memory ?? freshMemory();
  render(
    <JobsTable
      jobs={jobs}
      sort={{ by: "createdAt", order: "desc" }}
      onSortChange={onSortChange}
      memory={memory}
      highlightedId={undefined}
      hasNextPage={false}
      isFetchingNextPage={false}
      nextPageProblem={undefined}
      fetchNextPage={fetchNextPage}
      {...props}
    />,
  );
  return { fetchNextPage, onSortChange, memory };
}

/** The ids of the job rows in the page (the others are not rendered). */
const renderedIds = () =>
  screen
    .getAllByRole("link", { name: /^Job / })
    .map((link) => link.getAttribute("aria-label")?.replace(/^Job /, ""));

beforeEach(() => {
  // jsdom lays nothing out; the virtualizer reads the viewport's height from clientHeight.
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(340);
});

describe("JobsTable", () => {
  it("renders only the rows on screen, and tells assistive technology the list's full size", () => {
    const jobs = manyJobs(1000);
    renderTable(jobs);
    const table = screen.getByRole("table", { name: "Jobs" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent?.replace(/[▲▼↕]/, "")),
    ).toEqual([
      "ID",
      "Type",
      "Status",
      "Queue",
      "Priority",
      "Result",
      "Created",
      "Run at",
      "Updated",
      "Duration",
      "Attempts",
    ]);
    const ids = renderedIds();
    expect(ids[0]).toBe(jobs[0]?.id);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(ids.length).toBeLessThan(40);
    expect(table).toHaveAttribute("aria-rowcount", "1001");
    expect(screen.getByRole("status")).toHaveTextContent("End of list · 1,000 jobs");
  });

  it("says its size is unknown while more pages may come", () => {
    renderTable(manyJobs(1000), { hasNextPage: true });
    expect(screen.getByRole("table", { name: "Jobs" })).toHaveAttribute("aria-rowcount", "-1");
    expect(screen.getByText("More jobs below — keep scrolling")).toBeInTheDocument();
  });

  it("does not ask for the next page while many loaded rows are below", () => {
    expect(renderTable(manyJobs(1000), { hasNextPage: true }).fetchNextPage).not.toHaveBeenCalled();
  });

  it("asks for the next page when few loaded rows are left below", () => {
    // Possibly more than once before the page starts loading: useInfiniteQuery runs one request at a time.
    expect(renderTable(manyJobs(30), { hasNextPage: true }).fetchNextPage).toHaveBeenCalled();
  });

  it("does not ask again while a page loads, after a failure, or at the end", () => {
    const problem = { message: "down", status: 503, code: undefined, details: [], requestId: undefined };
    for (const props of [
      { hasNextPage: true, isFetchingNextPage: true },
      { hasNextPage: true, nextPageProblem: problem },
      { hasNextPage: false },
    ]) {
      const { fetchNextPage } = renderTable(manyJobs(30), props);
      expect(fetchNextPage).not.toHaveBeenCalled();
    }
  });

  it("sorts through its headers", async () => {
    const { onSortChange } = renderTable(manyJobs(3));
    await userEvent.click(screen.getByRole("button", { name: /Status/ }));
    expect(onSortChange).toHaveBeenCalledWith({ by: "status", order: "asc" });
  });

  it("remembers where it was scrolled to", () => {
    const jobs = manyJobs(1000);
    const { memory } = renderTable(jobs);
    const scroller = screen.getByRole("table", { name: "Jobs" }).parentElement as HTMLElement;
    scroller.scrollTop = 34 * 500;
    fireEvent.scroll(scroller);
    expect(memory.scrollTop).toBe(34 * 500);
  });

  it("comes back to the rows it was scrolled to", () => {
    const jobs = manyJobs(1000);
    renderTable(jobs, { memory: freshMemory({ scrollTop: 34 * 500 }) });
    const ids = renderedIds();
    expect(ids).toContain(jobs[500]?.id);
    expect(ids).not.toContain(jobs[0]?.id);
  });

  it("renders most of its spare rows ahead, and moves them only when few are left, by many at once", () => {
    const jobs = manyJobs(1000);
    renderTable(jobs);
    const scroller = screen.getByRole("table", { name: "Jobs" }).parentElement as HTMLElement;
    const scrollTo = (rows: number) =>
      act(() => {
        scroller.scrollTop = 34 * rows;
        fireEvent.scroll(scroller);
      });
    const rendered = (from: number, to: number) => jobs.slice(from, to).map((job) => job.id);
    // 10 rows fit the 340 px; the 2 × 10 spare ones go ahead, downwards, from the top.
    expect(renderedIds()).toEqual(rendered(0, 28));
    scrollTo(4);
    expect(renderedIds()).toEqual(rendered(0, 28));
    // Rows 14–23 visible: 4 left ahead, fewer than 5: the window moves, 2 behind and 18 ahead.
    scrollTo(14);
    expect(renderedIds()).toEqual(rendered(12, 42));
    scrollTo(500);
    expect(renderedIds()).toEqual(rendered(498, 528));
    // Going up: the spare rows go ahead upwards.
    scrollTo(497);
    expect(renderedIds()).toEqual(rendered(479, 509));
    scrollTo(490);
    expect(renderedIds()).toEqual(rendered(479, 509));
  });
});
