import type { Route } from "../../lib/router";
import { NewWebhookPage } from "./new-webhook-page";
import { WebhookPage } from "./webhook-page";
import { WebhooksPage } from "./webhooks-page";

type WebhooksRoute = Extract<Route, { name: "webhooks" | "new-webhook" | "webhook" }>;

/** The Webhooks section, loaded on its first visit. */
export function WebhooksRoutes({ route }: { route: WebhooksRoute }) {
  switch (route.name) {
    case "webhooks":
      return <WebhooksPage />;
    case "new-webhook":
      return <NewWebhookPage />;
    case "webhook":
      return <WebhookPage key={route.webhookId} webhookId={route.webhookId} />;
  }
}
