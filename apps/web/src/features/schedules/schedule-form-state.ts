/**
 * The schedule form's fields as typed, to and from the body POST and PUT /v1/schedules take, and
 * the server's refusals sorted to the field they are about (§3 details, by path).
 */
import {
  DEFAULT_TIMEZONE,
  PRIORITY_MAX,
  PRIORITY_MIN,
  QUEUE_NAME_PATTERN,
  SCHEDULE_NAME_MAX,
  type CatchUp,
  type ErrorDetail,
  type Overlap,
  type Schedule,
  type ScheduleBody,
} from "@jobdeck/contract";
import type { Problem } from "../../lib/api-errors";
import { parsePayload } from "../jobs/payload-issues";

export type ScheduleForm = {
  name: string;
  cron: string;
  timezone: string;
  type: string;
  payload: string;
  queue: string;
  priority: string;
  overlap: Overlap;
  catchUp: CatchUp;
};
export type ScheduleField = keyof ScheduleForm;
export type ScheduleIssues = Partial<Record<ScheduleField | "form", string[]>>;

export const SCHEDULE_FIELDS: readonly ScheduleField[] = [
  "name",
  "cron",
  "timezone",
  "type",
  "payload",
  "queue",
  "priority",
  "overlap",
  "catchUp",
];

export function toScheduleForm(schedule: Schedule | undefined, viewerZone: string): ScheduleForm {
  if (!schedule) {
    return {
      name: "",
      cron: "",
      timezone: viewerZone || DEFAULT_TIMEZONE,
      type: "",
      payload: "",
      queue: "",
      priority: "0",
      overlap: "allow",
      catchUp: "latest",
    };
  }
  return {
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    type: schedule.type,
    payload: JSON.stringify(schedule.payload, null, 2),
    queue: schedule.queue,
    priority: String(schedule.priority),
    overlap: schedule.overlap,
    catchUp: schedule.catchUp,
  };
}

export type ParsedSchedule =
  { body: ScheduleBody; issues?: undefined } | { body?: undefined; issues: ScheduleIssues };

/** The form as a body, or what is wrong with it before sending (the server checks everything again). */
export function parseScheduleForm(form: ScheduleForm): ParsedSchedule {
  const issues: ScheduleIssues = {};
  const name = form.name.trim();
  if (name === "") issues.name = ["is required"];
  else if (name.length > SCHEDULE_NAME_MAX) issues.name = [`must be at most ${SCHEDULE_NAME_MAX} characters`];
  const cron = form.cron.trim().replace(/\s+/g, " ");
  if (cron === "") issues.cron = ["is required"];
  const timezone = form.timezone.trim();
  if (form.type === "") issues.type = ["is required: choose a job type"];
  const payload = parsePayload(form.payload);
  if (payload.error !== undefined) issues.payload = [payload.error];
  const queue = form.queue.trim();
  if (queue !== "" && !QUEUE_NAME_PATTERN.test(queue))
    issues.queue = [
      "lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit",
    ];
  const priority = form.priority.trim() === "" ? 0 : Number(form.priority);
  if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX)
    issues.priority = [`must be a whole number between ${PRIORITY_MIN} and ${PRIORITY_MAX}`];
  if (Object.keys(issues).length > 0) return { issues };
  return {
    body: {
      name,
      cron,
      ...(timezone ? { timezone } : {}),
      type: form.type,
      payload: payload.value,
      ...(queue ? { queue } : {}),
      priority,
      overlap: form.overlap,
      catchUp: form.catchUp,
    },
  };
}

const fieldOf = (path: string): ScheduleField | "form" => {
  const head = path.split(".")[0] ?? "";
  return (SCHEDULE_FIELDS as readonly string[]).includes(head) ? (head as ScheduleField) : "form";
};

const detailText = (detail: ErrorDetail) => {
  const inner = detail.path.split(".").slice(1).join(".");
  return inner ? `${inner}: ${detail.message}` : detail.message;
};

/**
 * A refused save, by field: a 400's or 409's details at the field their path names (`cron`,
 * `timezone`, `payload.url`; the server names `name` for a name another of the caller's schedules
 * has), a 409 without details at the name (the only conflict a schedule can have), anything else
 * above the form.
 */
export function issuesFromProblem(problem: Problem, name: string): ScheduleIssues {
  const issues: ScheduleIssues = {};
  const add = (field: ScheduleField | "form", text: string) => {
    issues[field] = [...(issues[field] ?? []), text];
  };
  if (problem.status === 409 && problem.details.length === 0) {
    add("name", `another of your schedules is named ${name}: choose another name`);
    return issues;
  }
  if ((problem.status === 400 || problem.status === 409) && problem.details.length > 0) {
    for (const detail of problem.details) add(fieldOf(detail.path), detailText(detail));
    return issues;
  }
  add("form", problem.message);
  return issues;
}
