/**
 * Starts per minute, counted in the browser: the API keeps no such figure, so the dashboard counts
 * the starts it sees on the live event stream (GET /v1/events), per queue, over the last minute.
 * A start is a job event with a `startedAt` this tab had not seen for that job (a retry's new
 * attempt is a start too, as in the rate limits of §11). It is stamped with the time the event
 * arrived, not with `startedAt`, so that a skewed clock between server and browser does not move
 * it in or out of the window; events about starts more than a minute old (a replay after a
 * reconnection) are not counted. Until the stream has been open for a minute the figure covers
 * the time it has been open, and says so; without the stream there is no figure ("—").
 */
import type { Job } from "@jobdeck/contract";
import { useEffect, useState, useSyncExternalStore } from "react";

export const START_WINDOW_MS = 60_000;

type Start = { queue: string; at: number };

let watchingSince: number | undefined;
let starts: Start[] = [];
const lastStartOf = new Map<string, string>();
const SEEN_MAX = 10_000;
let version = 0;
const listeners = new Set<() => void>();

function emit() {
  version += 1;
  for (const listener of listeners) listener();
}

/** The event stream is open: starts are counted from now on (the first opening only). */
export function startWatching(now = Date.now()): void {
  if (watchingSince !== undefined) return;
  watchingSince = now;
  emit();
}

/** Counts the starts among jobs that came through the event stream. */
export function recordStarts(jobs: Job[], now = Date.now()): void {
  if (watchingSince === undefined) return;
  let isChanged = false;
  for (const job of jobs) {
    if (!job.startedAt || lastStartOf.get(job.id) === job.startedAt) continue;
    lastStartOf.delete(job.id);
    lastStartOf.set(job.id, job.startedAt);
    if (lastStartOf.size > SEEN_MAX) lastStartOf.delete(lastStartOf.keys().next().value as string);
    if (Math.abs(now - Date.parse(job.startedAt)) > START_WINDOW_MS) continue;
    starts.push({ queue: job.queue, at: now });
    isChanged = true;
  }
  starts = starts.filter((start) => start.at > now - START_WINDOW_MS);
  if (isChanged) emit();
}

/** Signing out: another user's starts are not this one's. */
export function forgetStarts(): void {
  watchingSince = undefined;
  starts = [];
  lastStartOf.clear();
  emit();
}

/** What the Queues page shows: starts counted over `windowMs` (a minute, or less while the stream is young). */
export type StartRate = { count: number; windowMs: number };

/** The starts of `queue` in the last minute; undefined when the event stream was never open. */
export function startRate(queue: string, now = Date.now()): StartRate | undefined {
  if (watchingSince === undefined) return undefined;
  const from = Math.max(now - START_WINDOW_MS, watchingSince);
  const count = starts.filter((start) => start.queue === queue && start.at > from).length;
  return { count, windowMs: Math.min(START_WINDOW_MS, now - watchingSince) };
}

const TICK_MS = 2000;

/** `startRate` for a component: renders again when a start arrives and as starts leave the window. */
export function useStartRates(): (queue: string) => StartRate | undefined {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => version,
  );
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return (queue) => startRate(queue, Math.max(now, Date.now()));
}
