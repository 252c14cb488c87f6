/**
 * What the dashboard remembers about the jobs list between pages: the last view (so "← Jobs"
 * returns to it, filters and all), where each view was scrolled to and which row had focus, and
 * the job just created (to mark its row once).
 */
import { paths } from "../../lib/router";

export type ListMemory = { scrollTop: number; activeId: string | undefined };

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

/** The (mutable) memory of one view, by its cache key hash. */
export function listMemory(key: string): ListMemory {
  let memory = memories.get(key);
  if (!memory) {
    memory = { scrollTop: 0, activeId: undefined };
    memories.set(key, memory);
  }
  return memory;
}

export function forgetListMemory(key: string): void {
  memories.delete(key);
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
