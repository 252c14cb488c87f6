import { lazy, useEffect, useRef, useState } from "react";
import { Link } from "./components/link";
import { NoticeArea } from "./components/notice-area";
import { PageBoundary } from "./components/page-boundary";
import { ShortcutsDialog } from "./components/shortcuts-dialog";
import { forgetLiveUpdates } from "./features/jobs/job-cache";
import { JobsPage } from "./features/jobs/jobs-page";
import { lastListPath } from "./features/jobs/list-memory";
import { useLiveStatus, type LiveStatus } from "./features/jobs/live-status";
import { useJobEvents } from "./features/jobs/use-job-events";
import { forgetStarts } from "./features/queues/start-tracker";
import { SignInPage } from "./features/session/sign-in-page";
import { tsr } from "./lib/api-client";
import { matchRoute, navigate, paths, useLocation, type Route } from "./lib/router";
import { followOtherTabs, followSignInLinks, signOut, useSession } from "./lib/session";
import { useHotkeys } from "./lib/use-hotkeys";

// Loaded when first opened: every page but the job list, which a first visit opens, stays out of
// that visit's download (bench R7′ counts it): the create form and the job page with their editors,
// the queues, the schedule form's cron libraries.
const CreateJobPage = lazy(() =>
  import("./features/jobs/create-job-page").then((module) => ({ default: module.CreateJobPage })),
);
const JobDetailPage = lazy(() =>
  import("./features/jobs/job-detail-page").then((module) => ({ default: module.JobDetailPage })),
);
const QueuesPage = lazy(() =>
  import("./features/queues/queues-page").then((module) => ({ default: module.QueuesPage })),
);
const SchedulesRoutes = lazy(() =>
  import("./features/schedules/schedules-routes").then((module) => ({ default: module.SchedulesRoutes })),
);
const BulkOperationsPage = lazy(() =>
  import("./features/bulk-operations/bulk-operations-page").then((module) => ({
    default: module.BulkOperationsPage,
  })),
);
const HousekeepingRoutes = lazy(() =>
  import("./features/housekeeping/housekeeping-routes").then((module) => ({
    default: module.HousekeepingRoutes,
  })),
);
const WebhooksRoutes = lazy(() =>
  import("./features/webhooks/webhooks-routes").then((module) => ({ default: module.WebhooksRoutes })),
);

export function App() {
  const session = useSession();
  const queryClient = tsr.useQueryClient();
  useEffect(() => followOtherTabs(), []);
  useEffect(() => followSignInLinks(), []);

  // Nothing fetched for one user may be shown to the next: the cache is emptied when they sign out,
  // and when another user signs in over them (a sign-in link opened in this tab, another tab).
  const userId = session.status === "signed-in" ? session.userId : undefined;
  const [cacheUserId, setCacheUserId] = useState(userId);
  const isOtherUsersCache = cacheUserId !== undefined && cacheUserId !== userId;
  useEffect(() => {
    if (cacheUserId === userId) return;
    if (cacheUserId !== undefined) {
      queryClient.clear();
      forgetLiveUpdates();
      forgetStarts();
    }
    setCacheUserId(userId);
  }, [userId, cacheUserId, queryClient]);

  if (session.status === "signed-out") return <SignInPage reason={session.reason} />;
  // Rendered again once the previous user's answers are gone (the next commit).
  if (isOtherUsersCache) return null;
  return <SignedInApp userId={session.userId} expiresAt={session.expiresAt} />;
}

// The job page names its job in the title itself.
const TITLES: Record<Exclude<Route["name"], "detail">, string> = {
  list: "Jobs",
  create: "New job",
  queues: "Queues",
  schedules: "Schedules",
  "new-schedule": "New schedule",
  schedule: "Schedule",
  webhooks: "Webhooks",
  "new-webhook": "New webhook",
  webhook: "Webhook",
  "bulk-operations": "Bulk operations",
  failures: "Failures",
  retention: "Retention",
  "not-found": "Not found",
};

function SignedInApp({ userId, expiresAt }: { userId: string; expiresAt: number | undefined }) {
  useJobEvents();
  // Back to sign-in when the token runs out, rather than at the next failing request.
  useEffect(() => {
    if (expiresAt === undefined) return;
    const timer = setTimeout(
      () => signOut("Your session expired. Sign in again to continue."),
      Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1),
    );
    return () => clearTimeout(timer);
  }, [expiresAt]);
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const shortcutsRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (route.name !== "detail") document.title = `${TITLES[route.name]} · jobdeck`;
  }, [route.name]);

  useHotkeys({
    n: () => navigate(paths.create()),
    "?": () => shortcutsRef.current?.showModal(),
  });

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="app-header">
        <Link to={lastListPath()} className="brand">
          jobdeck
        </Link>
        <nav aria-label="Main" className="app-nav">
          <Link to={lastListPath()} aria-current={route.name === "list" ? "page" : undefined}>
            Jobs
          </Link>
          <Link to={paths.queues()} aria-current={route.name === "queues" ? "page" : undefined}>
            Queues
          </Link>
          <Link to={paths.schedules()} aria-current={isSection(route, "schedules") ? "page" : undefined}>
            Schedules
          </Link>
          <Link to={paths.webhooks()} aria-current={isSection(route, "webhooks") ? "page" : undefined}>
            Webhooks
          </Link>
          <Link
            to={paths.bulkOperations()}
            aria-current={route.name === "bulk-operations" ? "page" : undefined}
          >
            Bulk operations
          </Link>
          <Link to={paths.failures()} aria-current={route.name === "failures" ? "page" : undefined}>
            Failures
          </Link>
          <Link
            to={paths.create()}
            className="button primary small"
            aria-current={route.name === "create" ? "page" : undefined}
          >
            New job
          </Link>
        </nav>
        <div className="header-end">
          <LiveIndicator status={useLiveStatus()} />
          <span className="user" title="Your user id (the token's subject)">
            <span className="muted">Signed in as </span>
            <strong>{userId}</strong>
          </span>
          <button type="button" className="button small" onClick={() => signOut()}>
            Sign out
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => shortcutsRef.current?.showModal()}
          >
            ?
          </button>
        </div>
      </header>
      <main id="main">
        <Page route={route} />
      </main>
      <NoticeArea />
      <ShortcutsDialog ref={shortcutsRef} />
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case "list":
      return <JobsPage />;
    case "create":
      return (
        <PageBoundary>
          <CreateJobPage />
        </PageBoundary>
      );
    case "detail":
      return (
        <PageBoundary key={route.jobId}>
          <JobDetailPage jobId={route.jobId} />
        </PageBoundary>
      );
    case "queues":
      return (
        <PageBoundary>
          <QueuesPage />
        </PageBoundary>
      );
    case "schedules":
    case "new-schedule":
    case "schedule":
      return (
        <PageBoundary>
          <SchedulesRoutes route={route} />
        </PageBoundary>
      );
    case "webhooks":
    case "new-webhook":
    case "webhook":
      return (
        <PageBoundary>
          <WebhooksRoutes route={route} />
        </PageBoundary>
      );
    case "failures":
    case "retention":
      return (
        <PageBoundary>
          <HousekeepingRoutes route={route} />
        </PageBoundary>
      );
    case "bulk-operations":
      return (
        <PageBoundary>
          <BulkOperationsPage />
        </PageBoundary>
      );
    case "not-found":
      return (
        <div className="panel empty">
          <h1>Page not found</h1>
          <Link to={paths.list()} className="button">
            Go to jobs
          </Link>
        </div>
      );
  }
}

const SECTIONS = {
  schedules: ["schedules", "new-schedule", "schedule"],
  webhooks: ["webhooks", "new-webhook", "webhook"],
} as const satisfies Record<string, Route["name"][]>;

const isSection = (route: Route, section: keyof typeof SECTIONS) =>
  (SECTIONS[section] as readonly string[]).includes(route.name);

const LIVE_TEXT: Record<LiveStatus, [label: string, title: string]> = {
  off: ["", ""],
  connecting: ["Connecting…", "Connecting to live updates"],
  live: ["Live", "Rows and the open job update as they change"],
  reconnecting: ["Reconnecting…", "Live updates were interrupted; reconnecting"],
};

function LiveIndicator({ status }: { status: LiveStatus }) {
  const [label, title] = LIVE_TEXT[status];
  if (!label) return null;
  return (
    <span className={`live live-${status}`} title={title}>
      <span aria-hidden="true" className="live-dot" />
      {label}
    </span>
  );
}
