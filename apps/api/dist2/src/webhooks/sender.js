import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { v7 as uuidv7 } from "uuid";
import { claimDueMessages, dropMessage, hasDueMessage, recordAttempt, webhooksByIds, } from "../db/queries/webhooks.js";
import { nextState } from "./retry-schedule.js";
import { openSecret, secretKeyOf } from "./secret-box.js";
import { sendMessage } from "./send-message.js";
import { signMessage } from "./signing.js";
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
export function createWebhookSender(options) {
    const { db, concurrency, timeoutMs, allowPrivate } = options;
    const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    const logger = options.logger.child({ webhookSender: id });
    const random = options.random ?? Math.random;
    const secretKey = secretKeyOf(db);
    const leaseMs = timeoutMs + LEASE_SLACK_MS;
    const inFlight = new Set();
    let isRunning = false;
    let filling;
    let wantsFill = false;
    let pollTimer;
    let retryTimer;
    let retryAt = Infinity;
    let unsubscribe;
    const fill = () => {
        if (!isRunning)
            return;
        if (filling) {
            wantsFill = true;
            return;
        }
        filling = claimAndSend()
            .catch((error) => logger.warn({ err: error }, "could not claim webhook messages"))
            .finally(() => {
            filling = undefined;
            if (wantsFill) {
                wantsFill = false;
                fill();
            }
        });
    };
    /** Wakes up for a retry this process scheduled, unless an earlier wake-up is already set. */
    const wakeAt = (at) => {
        if (!isRunning || at.getTime() >= retryAt)
            return;
        clearTimeout(retryTimer);
        retryAt = at.getTime();
        retryTimer = setTimeout(() => {
            retryAt = Infinity;
            fill();
        }, Math.max(0, retryAt - Date.now()));
    };
    async function claimAndSend() {
        for (;;) {
            const free = concurrency - inFlight.size;
            if (!isRunning || free <= 0)
                return;
            const now = new Date();
            // Look first, on the read connection: a claim that finds nothing still takes SQLite's write
            // lock, and a writer connection on PostgreSQL, and every idle process polls.
            if (!(await hasDueMessage(db, now)))
                return;
            const messages = await claimDueMessages(db, {
                owner: id,
                limit: free,
                now,
                leaseUntil: new Date(now.getTime() + leaseMs),
            });
            if (messages.length === 0)
                return;
            const webhooks = await webhooksByIds(db, [...new Set(messages.map((m) => m.webhookId))]);
            for (const message of messages) {
                const attempt = deliver(message, webhooks.get(message.webhookId)).catch((error) => logger.error({ err: error, messageId: message.id }, "a webhook attempt could not be recorded"));
                inFlight.add(attempt);
                void attempt.finally(() => {
                    inFlight.delete(attempt);
                    fill();
                });
            }
            if (messages.length < free)
                return;
        }
    }
    async function deliver(message, webhook) {
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
        if (next.nextAttemptAt)
            wakeAt(next.nextAttemptAt);
    }
    return {
        id,
        start: () => {
            if (isRunning)
                return;
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
const outcomeOf = (result) => result.isRefused
    ? { kind: "refused" }
    : result.error === null
        ? { kind: "delivered" }
        : { kind: "failed" };
//# sourceMappingURL=sender.js.map