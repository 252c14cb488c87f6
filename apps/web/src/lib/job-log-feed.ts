/**
 * §14's `log` events, handed from the one event stream (features/jobs/use-job-events.ts reads it)
 * to whichever job log is open: listeners subscribe by job id, so a line reaches only its job's view.
 */
import type { LogEventData } from "@jobdeck/contract";

type Listener = (line: LogEventData) => void;

const listeners = new Map<string, Set<Listener>>();

export function publishLogLine(line: LogEventData): void {
  for (const listener of listeners.get(line.jobId) ?? []) listener(line);
}

/** Calls `listener` with each live line of `jobId` until the returned function is called. */
export function subscribeJobLog(jobId: string, listener: Listener): () => void {
  const set = listeners.get(jobId) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(jobId, set);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(jobId);
  };
}
