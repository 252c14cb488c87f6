import type { Job } from "@jobdeck/contract";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useRef } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { NoticeArea } from "../src/components/notice-area";
import { JobRow } from "../src/features/jobs/job-row";
import type { ListMemory } from "../src/features/jobs/list-memory";
import { useRowNavigation } from "../src/features/jobs/use-row-navigation";
import { freshMemory, manyJobs } from "./support/jobs";

type HarnessProps = { jobs: Job[]; memory: ListMemory; scrollToIndex?: (index: number) => void };

/** Every row rendered (no virtualizer), driven by the hook as JobsTable drives it. */
function Harness({ jobs, memory, scrollToIndex = () => {} }: HarnessProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const { activeIndex, bodyHandlers } = useRowNavigation({ jobs, memory, bodyRef, scrollToIndex });
  return (
    <div role="table" aria-label="Jobs">
      <div role="rowgroup" ref={bodyRef} {...bodyHandlers}>
        {jobs.map((job, index) => (
          <JobRow
            key={job.id}
            job={job}
            index={index}
            isActive={index === activeIndex}
            isHighlighted={false}
          />
        ))}
      </div>
    </div>
  );
}

const jobs = manyJobs(40);
const rowOf = (index: number) => screen.getByRole("link", { name: `Job ${jobs[index]?.id}` }).closest<HTMLElement>('[role="row"]');

beforeEach(() => {
  history.replaceState(null, "", "/");
});

describe("moving through the jobs table", () => {
  // Many key presses, each rendering the rows again (eleven cells each): on a loaded two-core
  // machine that takes longer than the default 5 s.
  it("moves the active row with the arrows, j/k and the page keys, and remembers it", async () => {
    const memory = freshMemory();
    const scrollToIndex = vi.fn();
    render(<Harness jobs={jobs} memory={memory} scrollToIndex={scrollToIndex} />);
    await userEvent.tab();
    expect(rowOf(0)).toHaveFocus();

    const steps: [string, number][] = [
      ["{ArrowDown}", 1],
      ["j", 2],
      ["k", 1],
      ["{PageDown}", 16],
      ["{End}", 39],
      ["{ArrowDown}", 39],
      ["{PageUp}", 24],
      ["{Home}", 0],
      ["{ArrowUp}", 0],
    ];
    for (const [key, index] of steps) {
      await userEvent.keyboard(key);
      expect(rowOf(index)).toHaveFocus();
      expect(rowOf(index)).toHaveAttribute("tabindex", "0");
      expect(scrollToIndex).toHaveBeenLastCalledWith(index);
      expect(memory.activeId).toBe(jobs[index]?.id);
    }
    expect(screen.getAllByRole("row").filter((row) => row.tabIndex === 0)).toHaveLength(1);
  }, 15_000);

  it("opens the focused job with Enter or o", async () => {
    render(<Harness jobs={jobs} memory={freshMemory()} />);
    await userEvent.tab();
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect(window.location.pathname).toBe(`/jobs/${jobs[1]?.id}`);

    history.replaceState(null, "", "/");
    await userEvent.keyboard("{ArrowDown}o");
    expect(window.location.pathname).toBe(`/jobs/${jobs[2]?.id}`);
  });

  it("copies the focused job's id with c", async () => {
    const user = userEvent.setup();
    // The Clipboard API is offered only to secure pages; userEvent's stands in for the browser's.
    vi.stubGlobal("isSecureContext", true);
    render(
      <>
        <Harness jobs={jobs} memory={freshMemory()} />
        <NoticeArea />
      </>,
    );
    await user.tab();
    await user.keyboard("jc");
    expect(await screen.findByText("Copied job id")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(jobs[1]?.id);
  });

  it("opens a job on a click, in a new tab with Ctrl, and not when the click was on its copy button", async () => {
    const user = userEvent.setup();
    const memory = freshMemory();
    const open = vi.spyOn(window, "open").mockReturnValue(null);
    render(<Harness jobs={jobs} memory={memory} />);

    await user.click(screen.getAllByRole("button", { name: /copy job id/i })[3] as HTMLElement);
    expect(window.location.pathname).toBe("/");

    await user.keyboard("{Control>}");
    await user.click(screen.getAllByText("sleep")[4] as HTMLElement);
    await user.keyboard("{/Control}");
    expect(open).toHaveBeenCalledWith(`/jobs/${jobs[4]?.id}`, "_blank", "noopener");
    expect(window.location.pathname).toBe("/");

    await user.click(screen.getAllByText("sleep")[5] as HTMLElement);
    expect(window.location.pathname).toBe(`/jobs/${jobs[5]?.id}`);
    expect(memory.activeId).toBe(jobs[5]?.id);
  });

  it("focuses the row the reader left from when they come back", () => {
    render(<Harness jobs={jobs} memory={freshMemory({ activeId: jobs[7]?.id })} />);
    expect(rowOf(7)).toHaveFocus();
  });

  it("leaves keys with Alt or Ctrl to the browser", async () => {
    const memory = freshMemory();
    render(<Harness jobs={jobs} memory={memory} />);
    await userEvent.tab();
    await userEvent.keyboard("{Alt>}{ArrowDown}{/Alt}");
    expect(rowOf(0)).toHaveFocus();
  });
});
