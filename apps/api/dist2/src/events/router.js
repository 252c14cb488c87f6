import { EVENTS_PATH, JOB_EVENT, JobStatsQuerySchema, READY_EVENT, } from "@jobdeck/contract";
import express, {} from "express";
import { userIdOf } from "../auth/middleware.js";
import { validationFailed } from "../errors.js";
import { zodDetails } from "../http/validation.js";
import { hasJobFilters, matchesJobFilters } from "../jobs/match-job.js";
const REPLAY_PAGE = 500;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and replays from the table. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RECONNECT_MS = 2_000;
const MAX_EVENT_ID = 2n ** 63n - 1n;
/** `Last-Event-ID`: absent, or an id this stream sent (a non-negative 64-bit integer). */
function lastEventIdOf(header) {
    if (header === undefined || header.trim() === "")
        return undefined;
    const id = /^[0-9]{1,19}$/.test(header.trim()) ? BigInt(header.trim()) : undefined;
    if (id === undefined || id > MAX_EVENT_ID) {
        throw validationFailed([
            { path: "Last-Event-ID", message: "must be the id of an event this stream sent" },
        ]);
    }
    return id;
}
/**
 * `GET /v1/events`: Server-Sent Events, one `job` event per change of one of the caller's jobs
 * (docs/api.md §9.6). A client that reconnects with `Last-Event-ID` first gets what it missed, from the
 * events table (kept for EVENT_RETENTION_HOURS), then live events, each exactly once and in order.
 * Comment lines every `heartbeatMs` keep proxies from closing an idle stream.
 */
export function eventsRouter({ feed, heartbeatMs, logger, }) {
    const router = express.Router();
    router.get(EVENTS_PATH, (req, res, next) => {
        const userId = userIdOf(res);
        let resumeAfter;
        let filters;
        /** Set once the stream knows where it starts; nothing is sent before. */
        let lastSent;
        try {
            // §15: the list's filters, applied to `job` events (live and replayed); other kinds pass.
            const parsed = JobStatsQuerySchema.safeParse(req.query);
            if (!parsed.success)
                throw validationFailed(zodDetails(parsed.error));
            filters = hasJobFilters(parsed.data) ? parsed.data : undefined;
            resumeAfter = lastEventIdOf(req.get("last-event-id"));
        }
        catch (error) {
            next(error);
            return;
        }
        let isOpen = true;
        let isReplaying = true;
        const held = [];
        let heartbeat;
        let unsubscribe;
        const end = () => {
            if (!isOpen)
                return;
            isOpen = false;
            clearInterval(heartbeat);
            unsubscribe?.();
            res.end();
        };
        const isWanted = (event) => !filters || event.kind !== JOB_EVENT || matchesJobFilters(JSON.parse(event.data), filters);
        const send = (event) => {
            if (!isOpen || lastSent === undefined || event.id <= lastSent)
                return;
            lastSent = event.id;
            if (!isWanted(event))
                return;
            res.write(`id: ${event.id}\nevent: ${event.kind}\ndata: ${event.data}\n\n`);
            if (res.writableLength > MAX_BUFFERED_BYTES) {
                logger.warn({ userId }, "event stream client too slow; closing its stream");
                end();
            }
        };
        req.on("close", end);
        feed
            .subscribe(userId, {
            onEvent: (event) => {
                if (isReplaying)
                    held.push(event);
                else
                    send(event);
            },
            onClose: end,
        })
            .then(async ({ unsubscribe: off, since }) => {
            unsubscribe = off;
            if (!isOpen) {
                off();
                return;
            }
            // An id beyond the feed's position comes from another database (one that was reset): start
            // from now, as for a client that sends none.
            const isResuming = resumeAfter !== undefined && resumeAfter <= since;
            lastSent = isResuming ? resumeAfter : since;
            res.status(200);
            res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
            res.setHeader("Cache-Control", "no-cache, no-transform");
            res.setHeader("Connection", "keep-alive");
            // nginx and others buffer responses unless told not to.
            res.setHeader("X-Accel-Buffering", "no");
            res.flushHeaders();
            res.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
            // Gives a client the id to resume from even before any of its jobs changes.
            if (!isResuming)
                res.write(`id: ${since}\nevent: ${READY_EVENT}\ndata: {}\n\n`);
            heartbeat = setInterval(() => res.write(": heartbeat\n\n"), heartbeatMs);
            if (isResuming) {
                for (;;) {
                    const page = await feed.replay(userId, lastSent, since, REPLAY_PAGE);
                    for (const event of page)
                        send(event);
                    if (page.length < REPLAY_PAGE || !isOpen)
                        break;
                }
            }
            isReplaying = false;
            for (const event of held.splice(0))
                send(event);
        })
            .catch((error) => {
            if (res.headersSent) {
                logger.warn({ err: error, userId }, "event stream failed; closing it");
                end();
            }
            else {
                isOpen = false;
                next(error);
            }
        });
    });
    return router;
}
//# sourceMappingURL=router.js.map