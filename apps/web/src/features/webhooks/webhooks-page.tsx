import type { Webhook } from "@jobdeck/contract";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { toProblem } from "../../lib/api-errors";
import { paths } from "../../lib/router";
import { EnabledSwitch, filterText } from "./webhook-parts";
import { useWebhooks } from "./use-webhooks";

/** The caller's webhooks: where each sends, what, for which jobs, and an on/off switch. */
export function WebhooksPage() {
  const list = useWebhooks();
  let body;
  if (list.isPending) {
    body = (
      <p role="status" className="muted">
        Loading webhooks…
      </p>
    );
  } else if (list.isError && list.webhooks.length === 0) {
    body = (
      <ProblemPanel
        title="The webhooks could not be loaded"
        problem={toProblem(list.error)}
        onRetry={() => void list.refetch()}
      />
    );
  } else if (list.webhooks.length === 0) {
    body = (
      <div className="panel empty">
        <h2>No webhooks yet</h2>
        <p className="muted">
          A webhook tells an endpoint of yours when your jobs are created, start, complete, fail or are
          cancelled, with signed messages that are retried for 24 hours.
        </p>
        <Link to={paths.newWebhook()} className="button primary">
          Create a webhook
        </Link>
      </div>
    );
  } else {
    body = (
      <>
        <div className="table-wrap">
          <table className="webhooks-table" aria-label="Webhooks">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Jobs</th>
                <th scope="col">Created</th>
                <th scope="col">Enabled</th>
              </tr>
            </thead>
            <tbody>
              {list.webhooks.map((webhook) => (
                <WebhookRow key={webhook.id} webhook={webhook} />
              ))}
            </tbody>
          </table>
        </div>
        <div className="list-summary">
          {list.isFetchNextPageError ? (
            <div role="alert" className="footer-error">
              Could not load more webhooks: {toProblem(list.error).message}{" "}
              <button type="button" className="button small" onClick={() => void list.fetchNextPage()}>
                Try again
              </button>
            </div>
          ) : list.hasNextPage ? (
            <button
              type="button"
              className="button"
              disabled={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? "Loading more webhooks…" : "Show more webhooks"}
            </button>
          ) : (
            <span className="muted">
              {list.webhooks.length === 1 ? "1 webhook" : `${list.webhooks.length.toLocaleString()} webhooks`}
            </span>
          )}
        </div>
      </>
    );
  }
  return (
    <div className="webhooks-page">
      <div className="page-title-row">
        <h1>Webhooks</h1>
        <Link to={paths.newWebhook()} className="button small primary">
          New webhook
        </Link>
      </div>
      {body}
    </div>
  );
}

function WebhookRow({ webhook }: { webhook: Webhook }) {
  return (
    <tr className={webhook.isEnabled ? undefined : "webhook-disabled"}>
      <th scope="row">
        <Link to={paths.webhook(webhook.id)} className="mono">
          {webhook.url}
        </Link>
      </th>
      <td>{webhook.events.join(", ")}</td>
      <td>{filterText(webhook.filter)}</td>
      <td>
        <RelativeTime iso={webhook.createdAt} />
      </td>
      <td>
        <EnabledSwitch webhook={webhook} />
      </td>
    </tr>
  );
}
