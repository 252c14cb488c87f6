import type { Route } from "../../lib/router";
import { NewSchedulePage } from "./new-schedule-page";
import { SchedulePage } from "./schedule-page";
import { SchedulesPage } from "./schedules-page";

type SchedulesRoute = Extract<Route, { name: "schedules" | "new-schedule" | "schedule" }>;

/** The Schedules section, loaded on its first visit (with the cron libraries its form needs). */
export function SchedulesRoutes({ route }: { route: SchedulesRoute }) {
  switch (route.name) {
    case "schedules":
      return <SchedulesPage />;
    case "new-schedule":
      return <NewSchedulePage />;
    case "schedule":
      return <SchedulePage key={route.scheduleId} scheduleId={route.scheduleId} />;
  }
}
