import { isIP } from "node:net";
import { AppError, validationFailed } from "../errors.js";
import { isPublicAddress } from "../net/address-policy.js";
export const webhookNotFound = () => new AppError("NOT_FOUND", "Webhook not found");
/**
 * A POST or PUT body as stored. With private addresses not allowed, a literal loopback or private
 * host is refused here (§13); a name is checked where it resolves, when sending.
 */
export function webhookFields(body, { allowPrivate }) {
    const host = new URL(body.url).hostname.replace(/^\[|\]$/g, "");
    if (!allowPrivate && isIP(host) && !isPublicAddress(host)) {
        throw validationFailed([
            {
                path: "url",
                message: `${host} is a loopback, private or otherwise non-public address, which webhooks may not reach`,
            },
        ]);
    }
    return {
        url: body.url,
        events: JSON.stringify(body.events),
        filterTypes: body.filter?.type ? JSON.stringify(body.filter.type) : null,
        filterQueues: body.filter?.queue ? JSON.stringify(body.filter.queue) : null,
        isEnabled: body.isEnabled ?? true,
    };
}
//# sourceMappingURL=webhook-input.js.map