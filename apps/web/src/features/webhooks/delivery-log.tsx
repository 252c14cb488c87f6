import type { WebhookDelivery } from "@jobdeck/contract";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { toProblem } from "../../lib/api-errors";
import { formatDuration, shortId } from "../../lib/format";
import { notify } from "../../lib/notices";
import { paths } from "../../lib/router";
import { useDeliveries, useRedeliver } from "./use-webhooks";

/** Every attempt to send this webhook's messages, newest first, with a way to send one again. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const log = useDeliveries(webhookId);
  const redeliver = useRedeliver();

  let body;
  if (log.isPending) {
    body = (
      <p role="status" className="muted">
        Loading deliveries…
      </p>
    );
  } else if (log.isError && log.deliveries.length === 0) {
    body = (
      <ProblemPanel
        title="The delivery log could not be loaded"
        problem={toProblem(log.error)}
        onRetry={() => void log.refetch()}
      />
    );
  } else if (log.deliveries.length === 0) {
    body = (
      <p className="muted">
        Nothing sent yet. Messages appear here once an event it listens for happens, or with “Send test”.
      </p>
    );
  } else {
    body = (
      <>
        <div className="table-wrap">
          <table className="deliveries-table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Job</th>
                <th scope="col">Attempt</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.deliveries.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  delivery={delivery}
                  isSending={redeliver.isPending && redeliver.variables.params.deliveryId === delivery.id}
                  onRedeliver={() => {
                    redeliver.reset();
                    redeliver.mutate(
                      { params: { id: webhookId, deliveryId: delivery.id } },
                      { onSuccess: () => notify("Sent again: the new attempt appears at the top") },
                    );
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
        <div className="list-summary">
          {log.isFetchNextPageError ? (
            <div role="alert" className="footer-error">
              Could not load older deliveries: {toProblem(log.error).message}{" "}
              <button type="button" className="button small" onClick={() => void log.fetchNextPage()}>
                Try again
              </button>
            </div>
          ) : log.hasNextPage ? (
            <button
              type="button"
              className="button"
              disabled={log.isFetchingNextPage}
              onClick={() => void log.fetchNextPage()}
            >
              {log.isFetchingNextPage ? "Loading older deliveries…" : "Show older deliveries"}
            </button>
          ) : (
            <span className="muted">
              {log.deliveries.length === 1
                ? "1 attempt"
                : `${log.deliveries.length.toLocaleString()} attempts`}
            </span>
          )}
        </div>
      </>
    );
  }
  return (
    <section aria-labelledby="deliveries-heading" className="detail-section">
      <div className="section-title-row">
        <h2 id="deliveries-heading">Delivery log</h2>
        <button
          type="button"
          className="button small"
          disabled={log.isFetching}
          onClick={() => void log.refetch()}
        >
          Refresh
        </button>
      </div>
      {redeliver.error && (
        <p role="alert" className="action-error">
          Not sent again: {toProblem(redeliver.error).message}
        </p>
      )}
      {body}
    </section>
  );
}

function DeliveryRow({
  delivery,
  isSending,
  onRedeliver,
}: {
  delivery: WebhookDelivery;
  isSending: boolean;
  onRedeliver: () => void;
}) {
  const isOk = delivery.statusCode !== null && delivery.statusCode >= 200 && delivery.statusCode < 300;
  return (
    <tr className={isOk ? "delivery-ok" : "delivery-failed"}>
      <td>
        <RelativeTime iso={delivery.createdAt} />
      </td>
      <td>
        <code>{delivery.eventType}</code>
      </td>
      <td>
        {delivery.jobId ? (
          <Link to={paths.job(delivery.jobId)} aria-label={`Job ${delivery.jobId}`} className="mono">
            {shortId(delivery.jobId)}
          </Link>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="num">{delivery.attempt}</td>
      <td className="num">
        {delivery.statusCode === null ? (
          <span className="muted">none</span>
        ) : (
          <span className={isOk ? "status-ok" : "status-bad"}>{delivery.statusCode}</span>
        )}
      </td>
      <td className="num">{delivery.durationMs === null ? "—" : formatDuration(delivery.durationMs)}</td>
      <td>
        {delivery.error ? (
          <span title={delivery.error.code}>
            <code>{delivery.error.code}</code> {delivery.error.message}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {delivery.nextAttemptAt ? (
          <RelativeTime iso={delivery.nextAttemptAt} />
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <button
          type="button"
          className="button small"
          disabled={isSending}
          aria-label={`Redeliver attempt ${delivery.attempt} of ${delivery.eventType} (${delivery.webhookMessageId})`}
          title="Send this message again: same webhook-id and body, a new timestamp and signature"
          onClick={onRedeliver}
        >
          {isSending ? "Sending…" : "Redeliver"}
        </button>
      </td>
    </tr>
  );
}
