import type { WebhookWithSecret } from "@jobdeck/contract";
import { useState } from "react";
import { Link } from "../../components/link";
import { navigate, paths } from "../../lib/router";
import { SecretReveal } from "./secret-reveal";
import { useCreateWebhook } from "./use-webhooks";
import { WebhookForm } from "./webhook-form";

export function NewWebhookPage() {
  const create = useCreateWebhook();
  // The answer, secret included, kept only while this page shows it.
  const [created, setCreated] = useState<WebhookWithSecret | undefined>();
  return (
    <div className="webhook-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={paths.webhooks()}>← Webhooks</Link>
      </nav>
      {created ? (
        <>
          <h1>Webhook created</h1>
          <p>
            Messages go to <code>{created.url}</code>.
          </p>
          <SecretReveal
            secret={created.secret}
            doneLabel="I have saved it: open the webhook"
            onDone={() => navigate(paths.webhook(created.id), { replace: true })}
          />
        </>
      ) : (
        <>
          <h1>New webhook</h1>
          <div className="form-panel">
            <WebhookForm
              webhook={undefined}
              submitLabel="Create webhook"
              pendingLabel="Creating…"
              isPending={create.isPending}
              error={create.error}
              onSubmit={(body) =>
                create.mutate({ body }, { onSuccess: (response) => setCreated(response.body.data) })
              }
              onCancel={() => navigate(paths.webhooks())}
            />
          </div>
        </>
      )}
    </div>
  );
}
