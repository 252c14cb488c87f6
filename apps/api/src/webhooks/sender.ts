import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../db/index.js";
import {
  claimDueMessages,
  dropMessage,
  hasDueMessage,
  recordAttempt,
  webhooksByIds,
  type WebhookMessageRow,
  type WebhookRow,
} from "../db/queries/webhooks.js";
import { nextState } from "./retry-schedule.js";
import { openSecret, secretKeyOf } from "./secret-box.js";
import { sendMessage, type SendResult } from "./send-message.js";
import { signMessage } from "./signing.js";

export type WebhookSenderOptions = {
  db: Database;
  logger: Logger;
  /** Messages sent at once by this process. */
  concurrency: number;
  /** How long one attempt may wait for the receiver's status line (§13: 10 s). */
  timeoutMs: number;
  /** HTTP_REQUEST_ALLOW_PRIVATE: whether loopback and private addresses may be reached. */
  allowPrivate: boolean;
  /** The fallback look for due messages, for those no signal announced (other SQLite processes). */
  pollMs: number;
  random?: () => number;
};

export type WebhookSender = { id: string; start(): void; stop(): Promise<void> };

/** Beyond the attempt's timeout: time to write its outcome before another sender may take it. */
const LEASE_SLACK_MS = 5_000;

/**
 * Sends webhook messages (§13) after the transactions that wrote them commit, at least once, from
 * any process with WORKER_CONCURRENCY > 0. It claims due messages with a lease (their next attempt
 * time moves to the lease's end, so a sender killed mid-send leaves them due again then), sends
 * each signed, and records the attempt and the message's next state, fenced on the attempt.
 *
 * It looks for due messages when told some were written (the `webhooks` signal, from this
 * process at once and from others through PostgreSQL's NOTIFY), when a slot frees up, when a retry
 * it scheduled is due, and every `pollMs`.
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const { db, concurrency, timeoutMs, allowPrivate } = options;
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const logger = options.logger.child({ webhookSender: id });
  const random = options.random ?? Math.random;
  const secretKey = secretKeyOf(db);
  const leaseMs = timeoutMs + LEASE_SLACK_MS;
  const inFlight = new Set<Promise<void>>();

  let isRunning = false;
  let filling: Promise<void> | undefined;
  let wantsFill = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAt = Infinity;
  let unsubscribe: (() => void) | undefined;

  const fill = (): void => {
    if (!isRunning) return;
    if (filling) {
      wantsFill = true;
      return;
    }
    filling = claimAndSend()
      .catch((error: unknown) => logger.warn({ err: error }, "could not claim webhook messages"))
      .finally(() => {
        filling = undefined;
        if (wantsFill) {
          wantsFill = false;
          fill();
        }
      });
  };

  /** Wakes up for a retry this process scheduled, unless an earlier wake-up is already set. */
  const wakeAt = (at: Date) => {
    if (!isRunning || at.getTime() >= retryAt) return;
    clearTimeout(retryTimer);
    retryAt = at.getTime();
    retryTimer = setTimeout(
      () => {
        retryAt = Infinity;
        fill();
      },
      Math.max(0, retryAt - Date.now()),
    );
  };

  async function claimAndSend(): Promise<void> {
    for (;;) {
      const free = concurrency - inFlight.size;
      if (!isRunning || free <= 0) return;
      const now = new Date();
      // Look first, on the read connection: a claim that finds nothing still takes SQLite's write
      // lock, and a writer connection on PostgreSQL, and every idle process polls.
      if (!(await hasDueMessage(db, now))) return;
      const messages = await claimDueMessages(db, {
        owner: id,
        limit: free,
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
      });
      if (messages.length === 0) return;
      const webhooks = await webhooksByIds(db, [...new Set(messages.map((m) => m.webhookId))]);
      for (const message of messages) {
        const attempt = deliver(message, webhooks.get(message.webhookId)).catch((error: unknown) =>
          logger.error({ err: error, messageId: message.id }, "a webhook attempt could not be recorded"),
        );
        inFlight.add(attempt);
        void attempt.finally(() => {
          inFlight.delete(attempt);
          fill();
        });
      }
      if (messages.length < free) return;
    }
  }

  async function deliver(message: WebhookMessageRow, webhook: WebhookRow | undefined): Promise<void> {
    if (!webhook) {
      await dropMessage(db, message.id);
      return;
    }
    const secret = openSecret(await secretKey(), webhook.secret);
    const headers = signMessage(secret, message.id, message.body, new Date());
    const result = await sendMessage({
      url: webhook.url,
      body: message.body,
      headers,
      timeoutMs,
      allowPrivate,
    });
    const now = new Date();
    const next = nextState(outcomeOf(result), {
      failures: message.failures,
      expiresAt: message.expiresAt,
      now,
      random: random(),
    });
    await recordAttempt(db, {
      delivery: {
        id: uuidv7(),
        webhookId: message.webhookId,
        messageId: message.id,
        eventType: message.eventType,
        jobId: message.jobId,
        attempt: message.attempts,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error ? JSON.stringify(result.error) : null,
        nextAttemptAt: next.nextAttemptAt,
        createdAt: now,
      },
      message: { id: message.id, attempts: message.attempts, owner: id, ...next },
    });
    if (next.nextAttemptAt) wakeAt(next.nextAttemptAt);
  }

  return {
    id,
    start: () => {
      if (isRunning) return;
      isRunning = true;
      unsubscribe = db.signals.on("webhooks", fill);
      pollTimer = setInterval(fill, options.pollMs);
      fill();
    },
    /** Takes no new message; waits for the attempts under way to be sent and written down. */
    stop: async () => {
      isRunning = false;
      unsubscribe?.();
      clearInterval(pollTimer);
      clearTimeout(retryTimer);
      await filling;
      await Promise.allSettled([...inFlight]);
    },
  };
}

const outcomeOf = (result: SendResult) =>
  result.isRefused
    ? ({ kind: "refused" } as const)
    : result.error === null
      ? ({ kind: "delivered" } as const)
      : ({ kind: "failed" } as const);
