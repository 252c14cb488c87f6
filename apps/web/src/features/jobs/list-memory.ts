/**
 * What the dashboard remembers about the jobs list between pages: the last view (so "← Jobs"
 * returns to it, filters and all); per view, where it was scrolled to, which row had focus and
 * when its rolling window ("last hour") was resolved; and the job just created (to mark its row
 * once). Coming back to a view within FRESH_MS finds it as it was left; later, it starts afresh.
 */
import { paths } from "../../lib/router";

export type ListMemory = {
  scrollTop: number;
  activeId: string | undefined;
  /** The "now" a preset window is resolved against, so that every page asks the same window. */
  pinnedAt: number;
  leftAt: number | undefined;
};

/** How long a view left alone stays as it was: its place, its rows, its window. */
export const FRESH_MS = 5 * 60_000;

const LAST_LIST_KEY = "jobdeck.lastList";
const memories = new Map<string, ListMemory>();
let justCreatedId: string | undefined;

/** The list URL to go back to from elsewhere: the last view the user had. */
export function lastListPath(): string {
  try {
    return paths.list(sessionStorage.getItem(LAST_LIST_KEY) ?? "");
  } catch {
    return paths.list();
  }
}

export function rememberListSearch(search: string): void {
  try {
    sessionStorage.setItem(LAST_LIST_KEY, search);
  } catch {
    // Without storage, "back to jobs" opens the default view.
  }
}

/** The (mutable) memory of a view, by its canonical search, as the reader enters it. */
export function enterList(view: string, now = Date.now()): ListMemory {
  const kept = memories.get(view);
  if (kept && (kept.leftAt === undefined || now - kept.leftAt <= FRESH_MS)) {
    kept.leftAt = undefined;
    return kept;
  }
  const memory: ListMemory = { scrollTop: 0, activeId: undefined, pinnedAt: now, leftAt: undefined };
  memories.set(view, memory);
  return memory;
}

/** "Refresh": back to the top, with the window resolved again. */
export function restartListMemory(memory: ListMemory, now = Date.now()): void {
  Object.assign(memory, { scrollTop: 0, activeId: undefined, pinnedAt: now });
}

export function markJustCreated(jobId: string): void {
  justCreatedId = jobId;
}

/** The job created just before this list render, if any; read once. */
export function peekJustCreated(): string | undefined {
  return justCreatedId;
}

export function clearJustCreated(): void {
  justCreatedId = undefined;
}
