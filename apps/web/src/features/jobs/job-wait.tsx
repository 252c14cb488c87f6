import type { Job } from "@jobdeck/contract";
import { useEffect, useState } from "react";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { useQueue } from "../queues/use-queues";
import { explainWait, WAIT_REASON_LABELS, type WaitContext } from "./wait-explanation";

/** A waiting job's reason can change with no event about the job (a queue resumed, a slot freed). */
const REREAD_MS = 15_000;
/** The rate-limit estimate reads this many of the queue's latest jobs (the list's largest page). */
const RECENT_JOBS = 100;

/**
 * "Why it waits" on a pending job's page: the server's reason in words, with the numbers behind it
 * (read only for the reasons that need them) and when the job may start, counting down.
 */
export function JobWait({ job }: { job: Job }) {
  const context = useWaitContext(job);
  const explanation = explainWait(job, context);
  if (!explanation) return null;
  return (
    <section aria-labelledby="wait-heading" className="detail-section wait-section">
      <h2 id="wait-heading">Why it waits</h2>
      <p
        className="wait-reason"
        title={`waitReason: ${explanation.reason} (${WAIT_REASON_LABELS[explanation.reason]})`}
      >
        <strong>{explanation.text}</strong>
      </p>
      <p className="muted">{explanation.startText}</p>
    </section>
  );
}

function useWaitContext(job: Job): WaitContext {
  const queryClient = tsr.useQueryClient();
  const reason = job.status === "pending" ? job.waitReason : null;
  const key = job.concurrencyKey;
  const needsQueue = reason === "concurrency" || reason === "rate_limit";
  const queue = useQueue(job.queue, { isEnabled: needsQueue });

  const keyQuery = { queue: job.queue, concurrencyKey: key ?? "", status: "running" };
  const keyStats = tsr.jobs.getJobStats.useQuery({
    queryKey: queryKeys.getJobStats.query(keyQuery),
    queryData: { query: keyQuery },
    enabled: reason === "concurrency" && key !== null,
    select: (response) => response.body.data.byStatus.running,
  });

  const isRateLimited = reason === "rate_limit";
  const queueStarts = useRecentStarts(job.queue, null, isRateLimited);
  const keyStarts = useRecentStarts(job.queue, key, isRateLimited && key !== null);

  const now = useNow(reason === "backoff" || reason === "scheduled" || isRateLimited);

  // Read the job (and what explains it) again from time to time, and as soon as its runAt passes.
  useEffect(() => {
    if (job.status !== "pending") return;
    const reread = () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.getJob.byId(job.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.getQueue.byName(job.queue) });
      void queryClient.invalidateQueries({ queryKey: [{ route: "recentStarts", queue: job.queue }] });
    };
    const timer = setInterval(reread, REREAD_MS);
    const dueIn = Date.parse(job.runAt) - Date.now();
    const due = dueIn > 0 && dueIn < 2 ** 31 - 1 ? setTimeout(reread, dueIn + 250) : undefined;
    return () => {
      clearInterval(timer);
      clearTimeout(due);
    };
  }, [queryClient, job.id, job.queue, job.status, job.runAt]);

  return {
    now,
    queue: queue.data?.queue,
    keyRunning: keyStats.data,
    queueStarts: queueStarts.data,
    keyStarts: keyStarts.data,
  };
}

/** When the latest attempts of a queue's (or key's) jobs started: the jobs last updated, newest first. */
function useRecentStarts(queue: string, concurrencyKey: string | null, isEnabled: boolean) {
  const query = {
    queue,
    ...(concurrencyKey === null ? {} : { concurrencyKey }),
    sortBy: "updatedAt",
    sortOrder: "desc",
    limit: String(RECENT_JOBS),
  } as const;
  return tsr.jobs.listJobs.useQuery({
    queryKey: queryKeys.recentStarts(queue, concurrencyKey),
    queryData: { query },
    enabled: isEnabled,
    select: (response) =>
      response.body.data.flatMap((job) => (job.startedAt ? [Date.parse(job.startedAt)] : [])),
  });
}

/** The time, once a second while `isTicking` (a countdown is on screen). */
function useNow(isTicking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!isTicking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [isTicking]);
  return now;
}
