/**
 * A cron expression as the schedule form explains it: in words (cronstrue), and its next fire
 * times, computed by the very code the server fires schedules with (`@jobdeck/contract/schedule-times`:
 * croner on the zone's wall clock plus §12's rules for daylight saving), so the preview and the
 * server's nextRunAt cannot disagree, also on a night the clocks change. Both libraries are loaded
 * with the Schedules page only.
 *
 * The server checks the expression again when it is saved, and has the last word: a 400 shows at
 * the cron field. The spellings jobdeck's dialect refuses (§12: `L`, `W`, `#`, `?`, `@` macros, a
 * year field) get a message in words here first.
 */
import { cronProblem, isTimeZone, nextFireAfter } from "@jobdeck/contract/schedule-times";
import cronstrue from "cronstrue";

export type CronPreview =
  | { isValid: true; description: string; nextRuns: Date[] }
  | { isValid: false; field: "cron" | "timezone"; problem: string };

export const PREVIEW_RUNS = 5;

/** What §12's dialect refuses, in words; undefined when the expression is in it. */
export function dialectProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (cron.trim() === "") return "enter a cron expression, such as 0 3 * * *";
  if (cron.includes("@")) return "@ macros (@daily, @hourly, …) are not supported: write the five fields";
  if (fields.length !== 5 && fields.length !== 6)
    return `has ${fields.length} field${fields.length === 1 ? "" : "s"}: write 5 (minute hour day month weekday), or 6 with seconds first`;
  // Month and weekday names (JUL, WED) are allowed; a letter left once they are gone is not.
  const special = /[LW#?]/i.exec(fields.join(" ").replace(/[A-Z]{3}/gi, ""));
  if (special) return `“${special[0]}” is not supported (no L, W, # or ?)`;
  return undefined;
}

/** Whether the browser knows the zone as an IANA name (what the fire times are computed in). */
export const isKnownTimeZone = (zone: string): boolean => isTimeZone(zone);

/** The expression in words and its next `count` fire times after `from`, in `timezone`. */
export function previewCron(
  cron: string,
  timezone: string,
  from = new Date(),
  count = PREVIEW_RUNS,
): CronPreview {
  const problem = dialectProblem(cron);
  if (problem) return { isValid: false, field: "cron", problem };
  const expression = cron.trim().replace(/\s+/g, " ");
  let description: string;
  try {
    description = cronstrue.toString(expression, {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch (error) {
    return { isValid: false, field: "cron", problem: cronMessage(error) };
  }
  if (!isKnownTimeZone(timezone))
    return {
      isValid: false,
      field: "timezone",
      problem: `${timezone} is not a time zone this browser knows`,
    };
  const invalid = cronProblem(expression);
  if (invalid) return { isValid: false, field: "cron", problem: invalid };
  const nextRuns: Date[] = [];
  for (let at = from.getTime(); nextRuns.length < count;) {
    const next = nextFireAfter({ cron: expression, timezone }, at);
    if (next === null) break;
    nextRuns.push(new Date(next));
    at = next;
  }
  return { isValid: true, description, nextRuns };
}

function cronMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^(Error: )?(CronPattern: )?/, "");
}

/** "Sat, 5 Dec 2026, 03:00:00" in `timeZone`, with its abbreviation ("CET", "GMT+1"). */
export function formatInZone(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(date);
}

/** The reader's own zone, as the browser knows it. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The expression in words, for a list; its problem in words when it has one. */
export function describeCron(cron: string): string {
  const problem = dialectProblem(cron);
  if (problem) return problem;
  try {
    return cronstrue.toString(cron.trim().replace(/\s+/g, " "), {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch (error) {
    return cronMessage(error);
  }
}
