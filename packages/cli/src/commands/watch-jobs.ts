import { JobdeckError } from "@jobdeck/client";
import type { Job } from "@jobdeck/contract";
import type { JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { JOB_COLUMNS, jobRow, statusText } from "../format.js";
import { integer } from "../input.js";
import { jobFilterQuery, type JobFilterFlags, type SortFlags } from "../job-filters.js";

type WatchFlags = JobFilterFlags & SortFlags & JsonFlags & { limit: string };

/** A failure that waiting cures: no answer, a timeout, the rate limit, a server in trouble. */
const isPassing = (error: unknown) =>
  error instanceof JobdeckError &&
  (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500);

/** At most this often the list is read again, however many events arrive. */
const REFRESH_MS = 250;
const CLEAR_SCREEN = "\x1b[H\x1b[2J";

/**
 * The list page the filters select, kept current: every job event (from the client's reconnecting
 * subscription) reads it again, coalesced, so the filters and the sort are the server's own. On a
 * terminal the table is redrawn; piped, each new or changed job of the page is printed once, as a
 * line (or as JSON with --ndjson). Runs until Ctrl-C.
 */
export async function watchJobs(context: Context, flags: WatchFlags): Promise<void> {
  const { out } = context;
  const limit = integer(flags.limit, "--limit", 1, 100);
  const query = { ...jobFilterQuery(flags), limit: String(limit) };
  const client = context.client();
  const stop = new AbortController();
  const lastSeen = new Map<string, string>();
  let status = "connecting…";
  let isReading = false;
  let isStale = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = (jobs: Job[]) => {
    const header = `${out.colors.bold("jobdeck jobs watch")}  ${out.colors.dim(`${new Date().toLocaleTimeString()} · ${status} · Ctrl-C to stop`)}`;
    const table =
      jobs.length === 0
        ? "No jobs match."
        : out.renderTable(
            JOB_COLUMNS,
            jobs.map((job) => jobRow(job, out.colors, true)),
          );
    context.io.stdout.write(`${CLEAR_SCREEN}${header}\n\n${table}\n`);
  };
  const printChanges = (jobs: Job[]) => {
    // Oldest change first, as a log reads.
    for (const job of [...jobs].reverse()) {
      if (lastSeen.get(job.id) === job.updatedAt) continue;
      lastSeen.set(job.id, job.updatedAt);
      if (flags.ndjson) out.ndjson(job);
      else
        out.line([job.updatedAt, job.id, job.type, statusText(job.status, out.colors), job.queue].join("  "));
    }
  };

  const read = async () => {
    if (isReading) {
      isStale = true;
      return;
    }
    isReading = true;
    try {
      do {
        isStale = false;
        const page = await client.jobs.listJobs({ query, fetchOptions: { signal: stop.signal } });
        if (out.isTTY && !flags.ndjson) draw(page.body.data);
        else printChanges(page.body.data);
      } while (isStale && !stop.signal.aborted);
    } finally {
      isReading = false;
    }
  };
  let failure: unknown;
  const refresh = () => {
    if (timer !== undefined || stop.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      read().catch((error: unknown) => {
        if (stop.signal.aborted) return;
        if (isPassing(error)) {
          // The server is restarting or overloaded: the stream reconnects, and its onOpen reads again.
          status = `cannot read the list (${(error as Error).message}); again once the stream is back`;
          if (!out.isTTY) out.note(`watch: ${status}`);
          return;
        }
        failure = error;
        stop.abort();
      });
    }, REFRESH_MS);
  };

  await read();
  const subscription = client.events.subscribe({
    signal: stop.signal,
    onOpen: () => {
      status = "live";
      if (!out.isTTY) out.note("watch: live (Ctrl-C to stop)");
      refresh();
    },
    onJob: refresh,
    onError: (error, { willReconnect, delayMs }) => {
      status = willReconnect
        ? `reconnecting in ${Math.round((delayMs ?? 0) / 1000)} s (${error.message})`
        : error.message;
      if (!out.isTTY) out.note(`watch: ${status}`);
      if (!willReconnect) {
        failure = error;
        stop.abort();
      }
    },
  });
  const onSignal = () => stop.abort();
  const stopListening = context.io.onInterrupt(onSignal);
  await subscription.closed;
  clearTimeout(timer);
  stopListening();
  if (failure !== undefined) throw failure as Error;
}
