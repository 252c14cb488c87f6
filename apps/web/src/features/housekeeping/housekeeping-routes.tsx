import type { Route } from "../../lib/router";
import { FailuresPage } from "./failures-page";
import { RetentionPage } from "./retention-page";

/** The failures view and the retention setting: one lazily loaded chunk, as schedules and webhooks. */
export function HousekeepingRoutes({ route }: { route: Extract<Route, { name: "failures" | "retention" }> }) {
  return route.name === "failures" ? <FailuresPage /> : <RetentionPage />;
}
