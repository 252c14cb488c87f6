/**
 * The webhook form's fields as chosen, to and from the body POST and PUT /v1/webhooks take, and
 * the server's refusals sorted to the field they are about (§3 details, by path).
 */
import {
  QUEUE_NAME_PATTERN,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookBody,
  type WebhookEvent,
} from "@jobdeck/contract";
import type { Problem } from "../../lib/api-errors";

export type WebhookForm = {
  url: string;
  events: WebhookEvent[];
  /** Job types to send events of; none chosen = every type. */
  types: string[];
  /** Queues, comma-separated as typed; empty = every queue. */
  queues: string;
  isEnabled: boolean;
};
export type WebhookField = "url" | "events" | "types" | "queues" | "isEnabled";
export type WebhookIssues = Partial<Record<WebhookField | "form", string[]>>;

export const DEFAULT_EVENTS: WebhookEvent[] = ["job.completed", "job.failed"];

export function toWebhookForm(webhook: Webhook | undefined): WebhookForm {
  if (!webhook) return { url: "", events: DEFAULT_EVENTS, types: [], queues: "", isEnabled: true };
  return {
    url: webhook.url,
    events: webhook.events,
    types: webhook.filter.type ?? [],
    queues: (webhook.filter.queue ?? []).join(", "),
    isEnabled: webhook.isEnabled,
  };
}

const queueList = (text: string) => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((queue) => queue.trim())
      .filter(Boolean),
  ),
];

export type ParsedWebhook =
  { body: WebhookBody; issues?: undefined } | { body?: undefined; issues: WebhookIssues };

/** The form as a body, or what is wrong with it before sending (the server checks it all again). */
export function parseWebhookForm(form: WebhookForm): ParsedWebhook {
  const issues: WebhookIssues = {};
  const url = form.url.trim();
  if (url === "") issues.url = ["is required"];
  else if (!isHttpUrl(url)) issues.url = ["must be an absolute http or https URL"];
  if (form.events.length === 0) issues.events = ["choose at least one event"];
  const queues = queueList(form.queues);
  const badQueues = queues.filter((queue) => !QUEUE_NAME_PATTERN.test(queue));
  if (badQueues.length > 0) issues.queues = [`not a queue name: ${badQueues.join(", ")}`];
  if (Object.keys(issues).length > 0) return { issues };
  const filter = {
    ...(form.types.length > 0 ? { type: [...form.types].sort() } : {}),
    ...(queues.length > 0 ? { queue: queues } : {}),
  };
  return {
    body: {
      url,
      // In the order the spec lists them, whatever order they were ticked in.
      events: WEBHOOK_EVENTS.filter((event) => form.events.includes(event)),
      filter,
      isEnabled: form.isEnabled,
    },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const FIELD_BY_PATH: Record<string, WebhookField> = {
  url: "url",
  events: "events",
  "filter.type": "types",
  "filter.queue": "queues",
  filter: "queues",
  isEnabled: "isEnabled",
};

function fieldOf(path: string): WebhookField | "form" {
  const parts = path.split(".");
  return FIELD_BY_PATH[parts.slice(0, 2).join(".")] ?? FIELD_BY_PATH[parts[0] ?? ""] ?? "form";
}

/** A refused save, by field: a 400's details at the field their path names, anything else above the form. */
export function issuesFromProblem(problem: Problem): WebhookIssues {
  const issues: WebhookIssues = {};
  const add = (field: WebhookField | "form", text: string) => {
    issues[field] = [...(issues[field] ?? []), text];
  };
  if (problem.status === 400 && problem.details.length > 0) {
    for (const detail of problem.details) add(fieldOf(detail.path), detail.message);
    return issues;
  }
  add("form", problem.message);
  return issues;
}
