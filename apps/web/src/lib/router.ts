/**
 * Client-side navigation over the History API. The dashboard has a handful of pages and keeps its
 * list state in the query string, so a router library would add weight without adding anything.
 */
import { useSyncExternalStore } from "react";

const NAVIGATE_EVENT = "jobdeck:navigate";

export type AppLocation = { pathname: string; search: string };

let snapshot: AppLocation = { pathname: window.location.pathname, search: window.location.search };

function readLocation(): AppLocation {
  const { pathname, search } = window.location;
  if (pathname !== snapshot.pathname || search !== snapshot.search) snapshot = { pathname, search };
  return snapshot;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

export function useLocation(): AppLocation {
  return useSyncExternalStore(subscribe, readLocation);
}

/** Pushes (or replaces) a history entry; a no-op when the address would not change. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.pathname === window.location.pathname && url.search === window.location.search) return;
  const target = `${url.pathname}${url.search}${url.hash}`;
  if (options.replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** For an <a href> click handler: whether the browser should handle it (new tab, download, …). */
export function isPlainLeftClick(event: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}): boolean {
  return (
    event.button === 0 &&
    !event.defaultPrevented &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}

export type Route =
  | { name: "list" }
  | { name: "create" }
  | { name: "detail"; jobId: string }
  | { name: "queues" }
  | { name: "schedules" }
  | { name: "new-schedule" }
  | { name: "schedule"; scheduleId: string }
  | { name: "webhooks" }
  | { name: "new-webhook" }
  | { name: "webhook"; webhookId: string }
  | { name: "bulk-operations" }
  | { name: "failures" }
  | { name: "retention" }
  | { name: "not-found" };

/** `/schedules`, `/schedules/new` and `/schedules/{id}`; the same for webhooks. */
function matchResource<L extends Route, N extends Route, D extends Route>(
  pathname: string,
  root: string,
  list: L,
  create: N,
  detail: (id: string) => D,
): L | N | D | undefined {
  if (pathname === `/${root}` || pathname === `/${root}/`) return list;
  if (pathname === `/${root}/new`) return create;
  const match = new RegExp(`^/${root}/([^/]+)/?$`).exec(pathname);
  return match?.[1] ? detail(decodeURIComponent(match[1])) : undefined;
}

export function matchRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "/jobs" || pathname === "/jobs/") return { name: "list" };
  if (pathname === "/jobs/new") return { name: "create" };
  if (pathname === "/queues" || pathname === "/queues/") return { name: "queues" };
  if (pathname === "/bulk-operations" || pathname === "/bulk-operations/") return { name: "bulk-operations" };
  if (pathname === "/failures" || pathname === "/failures/") return { name: "failures" };
  if (pathname === "/retention" || pathname === "/retention/") return { name: "retention" };
  const detail = /^\/jobs\/([^/]+)\/?$/.exec(pathname);
  if (detail?.[1]) return { name: "detail", jobId: decodeURIComponent(detail[1]) };
  return (
    matchResource(pathname, "schedules", { name: "schedules" }, { name: "new-schedule" }, (scheduleId) => ({
      name: "schedule",
      scheduleId,
    })) ??
    matchResource(pathname, "webhooks", { name: "webhooks" }, { name: "new-webhook" }, (webhookId) => ({
      name: "webhook",
      webhookId,
    })) ?? { name: "not-found" }
  );
}

export const paths = {
  list: (search = "") => `/${search}`,
  /** The form, with a type chosen, or starting from another job's type and payload. */
  create: (type?: string, fromJobId?: string) => {
    const params = new URLSearchParams();
    if (type) params.set("type", type);
    if (fromJobId) params.set("from", fromJobId);
    const query = params.toString();
    return `/jobs/new${query ? `?${query}` : ""}`;
  },
  job: (id: string) => `/jobs/${encodeURIComponent(id)}`,
  queues: () => "/queues",
  bulkOperations: () => "/bulk-operations",
  failures: () => "/failures",
  retention: () => "/retention",
  schedules: () => "/schedules",
  newSchedule: () => "/schedules/new",
  schedule: (id: string) => `/schedules/${encodeURIComponent(id)}`,
  webhooks: () => "/webhooks",
  newWebhook: () => "/webhooks/new",
  webhook: (id: string) => `/webhooks/${encodeURIComponent(id)}`,
};
