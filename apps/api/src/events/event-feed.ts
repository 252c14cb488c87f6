import type { Logger } from "pino";
import type { Database } from "../db/index.js";
import { setTimeout as delay } from "node:timers/promises";
import { eventWriters, eventsAfter, newestEventId, userEventsAfter } from "../db/queries/events.js";
import type { JobEventRow } from "../db/rows.js";
import { AppError } from "../errors.js";

/** A row of job_events as streams send it: `data` is the Job's JSON, sent verbatim. */
export type FeedEvent = JobEventRow;

export type FeedSubscriber = {
  onEvent(event: FeedEvent): void;
  /** The feed is closing (shutdown): the stream should end so its client reconnects elsewhere. */
  onClose(): void;
};

export type EventFeed = {
  /**
   * Resolves once the feed knows where it stands: every event with an id above `since` reaches the
   * subscriber, and every one up to it can be found with `replay`.
   */
  subscribe(userId: string, subscriber: FeedSubscriber): Promise<{ unsubscribe: () => void; since: bigint }>;
  /**
   * The user's events after `afterId` up to `untilId` (a subscription's `since`), oldest first: what
   * a reconnecting client missed.
   */
  replay(userId: string, afterId: bigint, untilId: bigint, limit: number): Promise<FeedEvent[]>;
  close(): void;
};

const PAGE = 500;
/** Without cross-process signals (SQLite, or while PostgreSQL's listener reconnects). */
const POLL_MS = 500;
/** With them, a rare look anyway, in case a notification was lost. */
const SLOW_POLL_EVERY = 10;
/** While an id is missing below committed ones (PostgreSQL), the feed looks again this often. */
const GAP_RETRY_MS = 20;
/** How long a starting feed waits for the events being written as it starts (see startPosition). */
const START_WAIT_MS = 2_000;

/**
 * Ids missing below `through` when the feed saw them (PostgreSQL, where ids may commit out of order):
 * each is on its way from one of `writers`, the transactions writing events then, or gone for good
 * (a rolled-back write, a deleted event) once all of them have ended.
 */
type Gap = { through: bigint; writers: Set<string> };

/**
 * One reader of job_events per process, shared by every open event stream: it follows the table
 * in id order from where it started and hands each new row to the streams of that row's user.
 * It reads when a write in this process or (PostgreSQL) a NOTIFY says there is something new, and
 * polls while anyone listens, for writes from other SQLite processes.
 */
export function createEventFeed({
  db,
  logger,
}: {
  db: Pick<Database, "read" | "sql" | "signals">;
  logger: Logger;
}): EventFeed {
  const { signals } = db;
  const byUser = new Map<string, Set<FeedSubscriber>>();
  let position = 0n;
  let ready: Promise<void> | undefined;
  let reading: Promise<void> | undefined;
  let wantsRead = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let gapTimer: NodeJS.Timeout | undefined;
  let gap: Gap | undefined;
  const isGapAware = db.sql.eventWritersSql !== undefined;

  const hasEnded = async ({ writers }: Gap) => {
    const now = await eventWriters(db);
    return ![...writers].some((writer) => now!.has(writer));
  };

  /**
   * Where a feed starts: after the newest event. On PostgreSQL a smaller id may still be on its way
   * (taken, not yet committed): those come from the transactions writing events now, which are in
   * their last message and end within milliseconds, so the start waits for them (up to START_WAIT_MS).
   */
  const startPosition = async () => {
    const newest = await newestEventId(db);
    const writers = isGapAware ? await eventWriters(db) : undefined;
    if (writers && writers.size > 0) {
      const pending: Gap = { through: newest, writers };
      for (const deadline = Date.now() + START_WAIT_MS; Date.now() < deadline && !(await hasEnded(pending));)
        await delay(5);
    }
    return newest;
  };
  let ticks = 0;
  let stopListening: (() => void) | undefined;
  let isClosed = false;

  const readNew = async () => {
    await ready;
    for (;;) {
      // Missing ids up to `final` are gone for good: every transaction that was writing events when
      // the gap was seen has ended, and the read below comes after that.
      const final = gap && (await hasEnded(gap)) ? gap.through : position;
      const events = await eventsAfter(db, position, PAGE);
      let isAtGap = false;
      for (const event of events) {
        if (isGapAware && event.id !== position + 1n && event.id - 1n > final) {
          isAtGap = true;
          break;
        }
        position = event.id;
        for (const subscriber of byUser.get(event.userId) ?? []) subscriber.onEvent(event);
      }
      if (gap && position >= gap.through) gap = undefined;
      if (isAtGap) {
        // A gap seen for the first time, or one beyond a gap that has ended: note who may fill it.
        if (!gap || final === gap.through)
          gap = { through: events.at(-1)!.id, writers: (await eventWriters(db))! };
        clearTimeout(gapTimer);
        gapTimer = setTimeout(wake, GAP_RETRY_MS);
        return;
      }
      if (events.length < PAGE) return;
    }
  };

  const wake = () => {
    if (isClosed || byUser.size === 0) return;
    wantsRead = true;
    if (reading) return;
    reading = (async () => {
      while (wantsRead && !isClosed) {
        wantsRead = false;
        try {
          await readNew();
        } catch (error) {
          logger.warn({ err: error }, "could not read job events; retrying at the next poll");
          return;
        }
      }
    })().finally(() => {
      reading = undefined;
    });
  };

  const startFollowing = () => {
    if (!ready) {
      const finding = startPosition().then((start) => {
        position = start;
        gap = undefined;
      });
      ready = finding;
      // A failed start is reported to the subscriber that caused it; the next one tries again.
      finding.catch(() => {
        if (ready === finding) ready = undefined;
      });
    }
    if (!stopListening) {
      stopListening = signals.on("events", wake);
      pollTimer = setInterval(() => {
        ticks++;
        if (!signals.isCrossProcess() || ticks % SLOW_POLL_EVERY === 0) wake();
      }, POLL_MS);
    }
    wake();
  };

  const stopFollowing = () => {
    stopListening?.();
    stopListening = undefined;
    clearInterval(pollTimer);
    clearTimeout(gapTimer);
    // While nobody listens the feed does not follow: it finds its place afresh when next needed.
    ready = undefined;
  };

  return {
    async subscribe(userId, subscriber) {
      // The process is shutting down: a client told 503 comes back (to this address's next process).
      if (isClosed)
        throw new AppError("UNAVAILABLE", "This server is shutting down; try again shortly", {
          headers: { "Retry-After": "1" },
        });
      let set = byUser.get(userId);
      if (!set) byUser.set(userId, (set = new Set()));
      set.add(subscriber);
      // Following already: rows read from now on reach this subscriber, so it is live from here.
      const livePosition = ready ? position : undefined;
      const unsubscribe = () => {
        if (!set.delete(subscriber)) return;
        if (set.size === 0 && byUser.get(userId) === set) byUser.delete(userId);
        if (byUser.size === 0) stopFollowing();
      };
      startFollowing();
      try {
        await ready;
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return { unsubscribe, since: livePosition ?? position };
    },

    replay: (userId, afterId, untilId, limit) => userEventsAfter(db, userId, afterId, untilId, limit),

    close() {
      isClosed = true;
      const subscribers = [...byUser.values()].flatMap((set) => [...set]);
      byUser.clear();
      stopFollowing();
      for (const subscriber of subscribers) subscriber.onClose();
    },
  };
}
