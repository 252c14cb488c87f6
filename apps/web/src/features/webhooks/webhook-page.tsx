import type { Webhook } from "@jobdeck/contract";
import { useEffect, useState, type ReactNode } from "react";
import { CopyButton } from "../../components/copy-button";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { isNotFound, toProblem } from "../../lib/api-errors";
import { notify } from "../../lib/notices";
import { navigate, paths } from "../../lib/router";
import { DeliveryLog } from "./delivery-log";
import { SecretReveal } from "./secret-reveal";
import { useDeleteWebhook, usePutWebhook, useRotateSecret, useTestWebhook, useWebhook } from "./use-webhooks";
import { EVENT_TEXT, WebhookForm } from "./webhook-form";
import { EnabledSwitch, filterText } from "./webhook-parts";

export function WebhookPage({ webhookId }: { webhookId: string }) {
  const webhook = useWebhook(webhookId);
  return (
    <article className="webhook-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={paths.webhooks()}>← Webhooks</Link>
      </nav>
      {webhook.isPending ? (
        <p role="status" className="muted">
          Loading webhook…
        </p>
      ) : webhook.isError && !webhook.data ? (
        isNotFound(webhook.error) ? (
          <div className="panel empty">
            <h1>Webhook not found</h1>
            <p>
              No webhook <code>{webhookId}</code> belongs to you. It may have been deleted, or be another
              user&apos;s.
            </p>
            <Link to={paths.webhooks()} className="button">
              Back to webhooks
            </Link>
          </div>
        ) : (
          <ProblemPanel
            title="The webhook could not be loaded"
            problem={toProblem(webhook.error)}
            onRetry={() => void webhook.refetch()}
          />
        )
      ) : (
        <WebhookView webhook={webhook.data} />
      )}
    </article>
  );
}

function WebhookView({ webhook }: { webhook: Webhook }) {
  const [isEditing, setIsEditing] = useState(false);
  const [secret, setSecret] = useState<string | undefined>();
  const put = usePutWebhook();
  useEffect(() => {
    document.title = `Webhook ${webhook.url} · jobdeck`;
  }, [webhook.url]);
  return (
    <>
      <header className="detail-header">
        <div className="detail-title">
          <h1 className="mono webhook-url">{webhook.url}</h1>
          <EnabledSwitch webhook={webhook} />
        </div>
        <div className="id-line">
          <code>{webhook.id}</code>
          <CopyButton text={webhook.id} what="webhook id" />
        </div>
        <WebhookActions
          webhook={webhook}
          isEditing={isEditing}
          onEdit={() => setIsEditing(true)}
          onSecret={setSecret}
        />
      </header>
      {secret && (
        <SecretReveal secret={secret} doneLabel="I have saved it" onDone={() => setSecret(undefined)} />
      )}
      {isEditing ? (
        <section aria-label="Edit" className="form-panel">
          <WebhookForm
            key={webhook.updatedAt}
            webhook={webhook}
            submitLabel="Save webhook"
            pendingLabel="Saving…"
            isPending={put.isPending}
            error={put.error}
            onSubmit={(body) =>
              put.put(webhook.id, body, {
                onSuccess: () => {
                  notify("Webhook saved");
                  put.reset();
                  setIsEditing(false);
                },
              })
            }
            onCancel={() => {
              put.reset();
              setIsEditing(false);
            }}
          />
        </section>
      ) : (
        <section aria-labelledby="settings-heading" className="detail-section">
          <h2 id="settings-heading">What it sends</h2>
          <dl className="fields">
            <Field name="Events">
              <ul className="plain-list">
                {webhook.events.map((event) => (
                  <li key={event}>
                    <code>{event}</code> <span className="muted small">{EVENT_TEXT[event]}</span>
                  </li>
                ))}
              </ul>
            </Field>
            <Field name="For jobs">{filterText(webhook.filter)}</Field>
            <Field name="Created">
              <RelativeTime iso={webhook.createdAt} exact="full" />
            </Field>
            <Field name="Updated">
              <RelativeTime iso={webhook.updatedAt} exact="full" />
            </Field>
          </dl>
        </section>
      )}
      <DeliveryLog webhookId={webhook.id} />
    </>
  );
}

function WebhookActions({
  webhook,
  isEditing,
  onEdit,
  onSecret,
}: {
  webhook: Webhook;
  isEditing: boolean;
  onEdit: () => void;
  onSecret: (secret: string) => void;
}) {
  const test = useTestWebhook();
  const rotate = useRotateSecret();
  const remove = useDeleteWebhook();
  const [confirming, setConfirming] = useState<"delete" | "rotate" | undefined>();
  const failure = test.error ?? rotate.error ?? remove.error;
  const resetAll = () => {
    test.reset();
    rotate.reset();
    remove.reset();
  };
  return (
    <div className="actions">
      <button
        type="button"
        className="button primary"
        disabled={test.isPending}
        title="Send a webhook.test message now, whatever its events and switch say"
        onClick={() => {
          resetAll();
          test.mutate(
            { params: { id: webhook.id } },
            { onSuccess: () => notify("Test message sent: its attempt appears in the delivery log") },
          );
        }}
      >
        {test.isPending ? "Sending…" : "Send test"}
      </button>
      {!isEditing && (
        <button type="button" className="button" onClick={onEdit}>
          Edit
        </button>
      )}
      {confirming === "rotate" ? (
        <span className="confirm" role="group" aria-label="Confirm rotate">
          Rotate the secret? From then on only the new one signs.{" "}
          <button
            type="button"
            className="button danger"
            disabled={rotate.isPending}
            onClick={() => {
              resetAll();
              rotate.mutate(
                { params: { id: webhook.id } },
                {
                  onSuccess: (response) => {
                    setConfirming(undefined);
                    onSecret(response.body.data.secret);
                  },
                },
              );
            }}
          >
            {rotate.isPending ? "Rotating…" : "Yes, rotate"}
          </button>{" "}
          <button type="button" className="button" onClick={() => setConfirming(undefined)}>
            Keep the current one
          </button>
        </span>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming("rotate")}>
          Rotate secret
        </button>
      )}
      {confirming === "delete" ? (
        <span className="confirm" role="group" aria-label="Confirm delete">
          Delete this webhook and its delivery log?{" "}
          <button
            type="button"
            className="button danger"
            disabled={remove.isPending}
            onClick={() => {
              resetAll();
              remove.mutate(
                { params: { id: webhook.id } },
                {
                  onSuccess: () => {
                    notify("Webhook deleted");
                    navigate(paths.webhooks());
                  },
                },
              );
            }}
          >
            {remove.isPending ? "Deleting…" : "Yes, delete"}
          </button>{" "}
          <button type="button" className="button" onClick={() => setConfirming(undefined)}>
            Keep it
          </button>
        </span>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming("delete")}>
          Delete
        </button>
      )}
      {failure && (
        <p className="action-error" role="alert">
          {toProblem(failure).message}
        </p>
      )}
    </div>
  );
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}
