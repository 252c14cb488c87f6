import type { Job } from "@jobdeck/contract";
import {
  useEffect,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from "react";
import { copyText } from "../../lib/clipboard";
import { notify } from "../../lib/notices";
import { navigate, paths } from "../../lib/router";
import type { ListMemory } from "./list-memory";

/** How far PageUp and PageDown move. */
const PAGE_ROWS = 15;

type RowNavigationOptions = {
  jobs: Job[];
  /** Where the list was left; the focused job is written back to it. */
  memory: ListMemory;
  /** The table body, whose rows carry `data-index`. */
  bodyRef: RefObject<HTMLDivElement>;
  /** Brings a row into view, rendering it if it is not yet. */
  scrollToIndex: (index: number) => void;
  /** Ticks or unticks a row for a bulk operation (the x key); absent when rows cannot be ticked. */
  onToggleSelected?: (jobId: string) => void;
};

/**
 * The keyboard and mouse in the jobs table: one row is active (Tab reaches it), the arrow keys,
 * j/k, PageUp/PageDown, Home and End move it, Enter or o opens its job, c copies its id, x ticks it
 * for a bulk operation. A click
 * opens the job (Ctrl+click in a new tab). Coming back to the list focuses the row left from.
 *
 * Clicks and focus are handled once for the whole body, not per row, so that rows keep the same
 * props while the list scrolls and only the rows scrolled into view render (see JobRow).
 */
export function useRowNavigation({
  jobs,
  memory,
  bodyRef,
  scrollToIndex,
  onToggleSelected,
}: RowNavigationOptions) {
  const [activeIndex, setActiveIndex] = useState(() =>
    Math.max(0, memory.activeId ? jobs.findIndex((job) => job.id === memory.activeId) : 0),
  );
  // Coming back to a list (from a job, with Escape or the back button): focus the row left from.
  const focusPending = useRef(jobs[activeIndex]?.id === memory.activeId && memory.activeId !== undefined);

  // Keyboard moves can land on a row that is not rendered yet: focus it once it is.
  useEffect(() => {
    if (!focusPending.current) return;
    const row = bodyRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
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
    scrollToIndex(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
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
      ...(onToggleSelected ? { x: () => job && onToggleSelected(job.id) } : {}),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const rowAt = (target: EventTarget) => {
    const row = (target as HTMLElement).closest<HTMLElement>("[data-index]");
    const index = Number(row?.dataset.index);
    const job = row ? jobs[index] : undefined;
    return job ? { job, index } : undefined;
  };
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const row = rowAt(event.target);
    if (!row || (event.target as HTMLElement).closest("a, button, input")) return;
    memory.activeId = row.job.id;
    setActiveIndex(row.index);
    if (event.ctrlKey || event.metaKey) window.open(paths.job(row.job.id), "_blank", "noopener");
    else navigate(paths.job(row.job.id));
  };
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const row = rowAt(event.target);
    if (!row) return;
    if (row.index !== clampedActive) setActiveIndex(row.index);
    memory.activeId = row.job.id;
  };

  return { activeIndex: clampedActive, bodyHandlers: { onKeyDown, onClick, onFocus } };
}
