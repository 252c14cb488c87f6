import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { createWebhook } from "./create-webhook.js";
import { deleteWebhook } from "./delete-webhook.js";
import { getWebhook } from "./get-webhook.js";
import { listWebhookDeliveries } from "./list-webhook-deliveries.js";
import { listWebhooks } from "./list-webhooks.js";
import { putWebhook } from "./put-webhook.js";
import { redeliverWebhookDelivery } from "./redeliver-webhook-delivery.js";
import { rotateWebhookSecret } from "./rotate-webhook-secret.js";
import { testWebhook } from "./test-webhook.js";
const s = initServer();
/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createWebhooksRouter(deps) {
    return s.router(contract.webhooks, {
        createWebhook: async ({ body, res }) => {
            const webhook = await createWebhook({ ...deps, userId: userIdOf(res), body });
            res.setHeader("Location", `/v1/webhooks/${webhook.id}`);
            return {
                status: 201,
                body: { success: true, data: webhook, message: "Webhook created; its secret is shown this once" },
            };
        },
        listWebhooks: async ({ query, res }) => ({
            status: 200,
            body: { success: true, ...(await listWebhooks({ ...deps, userId: userIdOf(res), query })) },
        }),
        getWebhook: async ({ params, res }) => ({
            status: 200,
            body: {
                success: true,
                data: await getWebhook({ ...deps, userId: userIdOf(res), id: params.id }),
                message: "Webhook retrieved",
            },
        }),
        putWebhook: async ({ params, body, res }) => ({
            status: 200,
            body: {
                success: true,
                data: await putWebhook({ ...deps, userId: userIdOf(res), id: params.id, body }),
                message: "Webhook saved",
            },
        }),
        deleteWebhook: async ({ params, res }) => {
            await deleteWebhook({ ...deps, userId: userIdOf(res), id: params.id });
            return { status: 204, body: undefined };
        },
        rotateWebhookSecret: async ({ params, res }) => ({
            status: 200,
            body: {
                success: true,
                data: await rotateWebhookSecret({ ...deps, userId: userIdOf(res), id: params.id }),
                message: "Secret rotated; the new one is shown this once and from now on only it signs",
            },
        }),
        testWebhook: async ({ params, res }) => ({
            status: 202,
            body: {
                success: true,
                data: await testWebhook({ ...deps, userId: userIdOf(res), id: params.id }),
                message: "Test message queued",
            },
        }),
        listWebhookDeliveries: async ({ params, query, res }) => ({
            status: 200,
            body: {
                success: true,
                ...(await listWebhookDeliveries({ ...deps, userId: userIdOf(res), id: params.id, query })),
            },
        }),
        redeliverWebhookDelivery: async ({ params, res }) => ({
            status: 202,
            body: {
                success: true,
                data: await redeliverWebhookDelivery({
                    ...deps,
                    userId: userIdOf(res),
                    id: params.id,
                    deliveryId: params.deliveryId,
                }),
                message: "Message queued for redelivery",
            },
        }),
    });
}
//# sourceMappingURL=router.js.map