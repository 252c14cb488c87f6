import type { Job } from "@jobdeck/contract";
import { useEffect } from "react";
import { tsr } from "../../lib/api-client";
import { statusOf } from "../../lib/api-errors";
import { streamJobEvents } from "../../lib/job-event-stream";
import { publishLogLine } from "../../lib/job-log-feed";
import { queryKeys } from "../../lib/query-keys";
import { storeBulkOperation } from "../bulk-operations/use-bulk-operations";
import { recordStarts, startWatching } from "../queues/start-tracker";
import { applyJobUpdates } from "./job-cache";
import { setLiveStatus } from "./live-status";

/** Events are applied in batches: a burst of a thousand changes costs a few renders, not a thousand. */
const FLUSH_MS = 250;
const STATS_REFRESH_MS = 2000;
/**
 * Counts of a view with a filter the indexes cannot narrow (payload., result., errorCode, idPrefix,
 * waitReason) read every job of the user that the rest of its filters leave, since stats count
 * exactly (§15): those are re-read this seldom instead.
 */
export const SCANNING_STATS_REFRESH_MS = 30_000;

/** Whether a stats query's key holds a filter that makes the server read job by job. */
export function isScanningStatsKey(queryKey: readonly unknown[]): boolean {
  const statsQuery = (queryKey[0] as { statsQuery?: Record<string, unknown> } | undefined)?.statsQuery;
  return Object.keys(statsQuery ?? {}).some(
    (name) =>
      name.startsWith("payload.") ||
      name.startsWith("result.") ||
      name === "errorCode" ||
      name === "idPrefix" ||
      name === "waitReason",
  );
}
const RETRY_MAX_MS = 30_000;

/** Resolves after `ms`, when `wake` is called, or when `signal` aborts, whichever is first. */
function pause(ms: number, signal: AbortSignal): { done: Promise<void>; wake: () => void } {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(finish, ms);
    signal.addEventListener("abort", finish);
    wake = finish;
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      resolve();
    }
  });
  return { done, wake };
}

/**
 * Keeps the cache in step with GET /v1/events while the user is signed in. A stream that ends or
 * fails is opened again with Last-Event-ID, after the delay the server asked for or a growing one;
 * the header says "Reconnecting…" meanwhile. When the browser reports the network gone, the stream
 * is dropped at once (a dead connection can otherwise look open for minutes) and opened again as
 * soon as the network is back.
 */
export function useJobEvents(): void {
  const queryClient = tsr.useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const pending = new Map<string, Job>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let statsTimer: ReturnType<typeof setTimeout> | undefined;
    let scanningStatsTimer: ReturnType<typeof setTimeout> | undefined;
    let connection: AbortController | undefined;
    let wakeUp: (() => void) | undefined;

    const flush = () => {
      flushTimer = undefined;
      const jobs = [...pending.values()];
      pending.clear();
      applyJobUpdates(queryClient, jobs);
      recordStarts(jobs);
      // Counts (of jobs, and of each queue's jobs) are re-read at most every STATS_REFRESH_MS,
      // however many events arrive.
      statsTimer ??= setTimeout(() => {
        statsTimer = undefined;
        void queryClient.invalidateQueries({
          queryKey: queryKeys.getJobStats.all(),
          predicate: (query) => !isScanningStatsKey(query.queryKey),
        });
        void queryClient.invalidateQueries({ queryKey: queryKeys.listQueues.all() });
      }, STATS_REFRESH_MS);
      scanningStatsTimer ??= setTimeout(() => {
        scanningStatsTimer = undefined;
        void queryClient.invalidateQueries({
          queryKey: queryKeys.getJobStats.all(),
          predicate: (query) => isScanningStatsKey(query.queryKey),
        });
      }, SCANNING_STATS_REFRESH_MS);
    };

    const onOffline = () => {
      setLiveStatus("reconnecting");
      connection?.abort();
    };
    const onOnline = () => wakeUp?.();
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);

    const run = async () => {
      let lastEventId: string | undefined;
      let failures = 0;
      let hasConnected = false;
      while (!signal.aborted) {
        setLiveStatus(hasConnected || failures > 0 ? "reconnecting" : "connecting");
        let retryMs: number | undefined;
        if (navigator.onLine) {
          connection = new AbortController();
          const stop = () => connection?.abort();
          signal.addEventListener("abort", stop);
          try {
            ({ retryMs } = await streamJobEvents(
              { lastEventId, signal: connection.signal },
              {
                onOpen: () => {
                  // After a gap, re-read the open job and the counts: the server replays only what
                  // it still keeps, and nothing at all to a client that had not seen an event yet.
                  if (hasConnected || failures > 0) {
                    void queryClient.invalidateQueries({ queryKey: queryKeys.getJob.all() });
                    void queryClient.invalidateQueries({ queryKey: queryKeys.getJobStats.all() });
                  }
                  hasConnected = true;
                  failures = 0;
                  setLiveStatus("live");
                  startWatching();
                },
                onLog: publishLogLine,
                onJob: (job) => {
                  pending.set(job.id, job);
                  flushTimer ??= setTimeout(flush, FLUSH_MS);
                },
                onBulkOperation: (operation) => storeBulkOperation(queryClient, operation),
                onPosition: (eventId) => {
                  lastEventId = eventId;
                },
              },
            ));
          } catch (error) {
            // 401: the session is over and this effect is about to be cleaned up.
            if (statusOf(error) === 401) return;
          } finally {
            signal.removeEventListener("abort", stop);
          }
        }
        if (signal.aborted) break;
        setLiveStatus("reconnecting");
        failures += 1;
        // Offline, only the "online" event ends the wait (or the longest delay, should it never come).
        const delay = navigator.onLine
          ? (retryMs ?? Math.min(RETRY_MAX_MS, 500 * 2 ** failures))
          : RETRY_MAX_MS;
        const wait = pause(delay, signal);
        wakeUp = wait.wake;
        await wait.done;
        wakeUp = undefined;
      }
    };
    void run();

    return () => {
      controller.abort();
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      clearTimeout(flushTimer);
      clearTimeout(statsTimer);
      clearTimeout(scanningStatsTimer);
      setLiveStatus("off");
    };
  }, [queryClient]);
}
