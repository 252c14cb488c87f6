/** Pieces the webhooks list and a webhook's page both show. */
import type { Webhook, WebhookFilter } from "@jobdeck/contract";
import { toProblem } from "../../lib/api-errors";
import { bodyOf, usePutWebhook } from "./use-webhooks";

/** "every job", "types echo, sleep", "types echo · queues emails". */
export function filterText(filter: WebhookFilter): string {
  const parts = [
    filter.type && `type ${filter.type.join(", ")}`,
    filter.queue && `queue ${filter.queue.join(", ")}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : "every job";
}

/** An on/off switch: on = enabled. Sent as a PUT of the webhook as shown, with isEnabled flipped. */
export function EnabledSwitch({ webhook }: { webhook: Webhook }) {
  const put = usePutWebhook();
  return (
    <>
      <button
        type="button"
        role="switch"
        className="switch switch-enable"
        aria-checked={webhook.isEnabled}
        aria-label={`Enable webhook ${webhook.url}`}
        title={
          webhook.isEnabled
            ? "Enabled: events are sent. Click to disable (events meanwhile are never sent)."
            : "Disabled: events are not sent. Click to enable."
        }
        disabled={put.isPending}
        onClick={() => {
          put.reset();
          put.put(webhook.id, bodyOf(webhook, { isEnabled: !webhook.isEnabled }));
        }}
      >
        <span aria-hidden="true" className="switch-track">
          <span className="switch-thumb" />
        </span>
        <span aria-hidden="true">{webhook.isEnabled ? "Enabled" : "Disabled"}</span>
      </button>
      {put.error && (
        <p role="alert" className="action-error">
          {toProblem(put.error).message}
        </p>
      )}
    </>
  );
}
