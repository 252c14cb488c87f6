const notFound = {
    description: "No such webhook for this caller: one that does not exist and another user's get this same answer.",
    error: { code: "NOT_FOUND", message: "Webhook not found" },
};
const badPage = {
    description: "`limit` missing or not 1–100, an unknown parameter (VALIDATION_FAILED), or a cursor this list did not issue for it to this user (INVALID_CURSOR).",
    error: {
        code: "VALIDATION_FAILED",
        message: "limit: must be an integer between 1 and 100",
        details: [{ path: "limit", message: "must be an integer between 1 and 100" }],
    },
};
const badBody = {
    description: "The body is refused: `url` missing, not an absolute http(s) URL, or (with HTTP_REQUEST_ALLOW_PRIVATE=false) a literal loopback or private address; `events` missing, empty, with an unknown or repeated event; a filter list empty, repeated or with a bad queue name; an unknown field; not valid JSON. Nothing was written.",
    error: {
        code: "VALIDATION_FAILED",
        message: "events: must list at least one event",
        details: [{ path: "events", message: "must list at least one event" }],
    },
};
const tooLarge = {
    description: "The body is larger than 1 MiB.",
    error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1 MiB" },
};
const notJson = {
    description: "The body's Content-Type is not application/json, or its charset or Content-Encoding is not supported.",
    error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" },
};
/** Routes that take no body still check one that is sent. */
const unwantedBody = {
    400: {
        description: "A body was sent (none is needed) and it is not valid JSON.",
        error: {
            code: "VALIDATION_FAILED",
            message: "body: is not valid JSON",
            details: [{ path: "body", message: "is not valid JSON" }],
        },
    },
    413: { ...tooLarge, description: "A body was sent (none is needed) and it is larger than 1 MiB." },
    415: { ...notJson, description: "A body was sent (none is needed) that is not application/json." },
};
export const WEBHOOK_WORDS = {
    createWebhook: {
        description: "Registers an endpoint for the caller's job events. Each matching event becomes one message, POSTed with Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) and retried with backoff for 24 hours until a 2xx.",
        body: "`url` and `events` required; `filter` ({ type, queue }: lists mean any of, both mean both) and `isEnabled` (default true) optional.",
        responses: {
            201: { description: "The webhook with its signing secret (`whsec_…`), shown this once." },
            400: badBody,
            413: tooLarge,
            415: notJson,
        },
    },
    listWebhooks: {
        description: "Keyset pages over the caller's webhooks, newest first (createdAt, then id). The cursor is bound to the user. Other parameters are a 400.",
        responses: { 200: { description: "One page of webhooks, without their secrets." }, 400: badPage },
    },
    getWebhook: {
        description: "One webhook, without its secret (it is shown only by create and rotate-secret).",
        responses: { 200: { description: "The webhook, without its secret." }, 404: notFound },
    },
    putWebhook: {
        description: "Replaces the url, events, filter and isEnabled (an omitted optional field takes its default); the secret stays. Messages already written are still sent.",
        body: "As for create.",
        responses: {
            200: { description: "The webhook as it is now, without its secret." },
            400: badBody,
            404: notFound,
            413: tooLarge,
            415: notJson,
        },
    },
    deleteWebhook: {
        description: "Deletes the webhook, its unsent messages and its delivery log; nothing more is sent to it.",
        responses: {
            204: { description: "The webhook is deleted, with its messages and log." },
            404: notFound,
            ...unwantedBody,
        },
    },
    rotateWebhookSecret: {
        description: "Gives the webhook a new secret, shown this once. From now on only it signs, retries of older messages included.",
        responses: { 200: { description: "The webhook with its new secret." }, 404: notFound, ...unwantedBody },
    },
    testWebhook: {
        description: 'Sends `{ "type": "webhook.test", "timestamp", "data": { "webhookId" } }` at once, whatever the webhook\'s events and isEnabled say; its attempts appear in the deliveries.',
        responses: {
            202: { description: "The message is stored and will be sent at once." },
            404: notFound,
            ...unwantedBody,
        },
    },
    listWebhookDeliveries: {
        description: "Every attempt to send the webhook's messages, newest first, keyset-paged like the jobs list.",
        responses: { 200: { description: "One page of attempts, newest first." }, 400: badPage, 404: notFound },
    },
    redeliverWebhookDelivery: {
        description: "Sends the delivery's message again: the same webhook-id and body, a new timestamp and signature. If it fails it is retried for another 24 hours.",
        responses: {
            202: { description: "The message is due again and will be sent at once." },
            404: {
                description: "No such webhook for this caller, or no such delivery of it.",
                error: { code: "NOT_FOUND", message: "Delivery not found" },
            },
            ...unwantedBody,
        },
    },
};
//# sourceMappingURL=webhook-operations.js.map