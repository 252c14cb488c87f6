import type { Job } from "@jobdeck/contract";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { statusOf } from "../../lib/api-errors";
import { streamJobEvents } from "../../lib/job-event-stream";
import { queryKeys } from "../../lib/query-keys";
import { applyJobUpdates } from "./job-cache";
import { setLiveStatus } from "./live-status";

/** Events are applied in batches: a burst of a thousand changes costs a few renders, not a thousand. */
const FLUSH_MS = 250;
const STATS_REFRESH_MS = 2000;
const RETRY_MAX_MS = 30_000;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Keeps the cache in step with GET /v1/events while the user is signed in: reconnects with
 * Last-Event-ID and a growing delay, and says "Reconnecting…" meanwhile.
 */
export function useJobEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const pending = new Map<string, Job>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let statsTimer: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      flushTimer = undefined;
      applyJobUpdates(queryClient, [...pending.values()]);
      pending.clear();
      // Counts are re-read at most every STATS_REFRESH_MS, however many events arrive.
      statsTimer ??= setTimeout(() => {
        statsTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: queryKeys.allJobStats() });
      }, STATS_REFRESH_MS);
    };

    const run = async () => {
      let lastEventId: string | undefined;
      let failures = 0;
      let hasConnected = false;
      while (!signal.aborted) {
        setLiveStatus(hasConnected || failures > 0 ? "reconnecting" : "connecting");
        let retryMs: number | undefined;
        try {
          ({ retryMs } = await streamJobEvents(
            { lastEventId, signal },
            {
              onOpen: () => {
                // After a gap, re-read what is on screen: the server may not replay everything.
                if (hasConnected || failures > 0)
                  void queryClient.invalidateQueries({ queryKey: queryKeys.jobDetails() });
                hasConnected = true;
                failures = 0;
                setLiveStatus("live");
              },
              onJob: (job, eventId) => {
                lastEventId = eventId ?? lastEventId;
                pending.set(job.id, job);
                flushTimer ??= setTimeout(flush, FLUSH_MS);
              },
            },
          ));
        } catch (error) {
          if (signal.aborted) break;
          // 401: the session is over and this effect is about to be cleaned up.
          if (statusOf(error) === 401) return;
        }
        if (signal.aborted) break;
        failures += 1;
        await pause(retryMs ?? Math.min(RETRY_MAX_MS, 500 * 2 ** failures), signal);
      }
    };
    void run();

    return () => {
      controller.abort();
      clearTimeout(flushTimer);
      clearTimeout(statsTimer);
      setLiveStatus("off");
    };
  }, [queryClient]);
}
