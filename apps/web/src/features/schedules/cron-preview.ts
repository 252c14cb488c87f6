/**
 * A cron expression as the schedule form explains it: in words (cronstrue), and its next fire
 * times, computed with croner 11, the library the server fires schedules with (apps/api), with the
 * same day rule (crontab(5): when either day field starts with *, a day must match both). Croner's
 * own time-zone handling gives §12's answers for daylight saving in the usual cases: a fixed time
 * in a spring-forward gap fires at the end of the gap, a repeated fall-back time once, at its first
 * occurrence, and an hourly pattern at every matching instant (17 of the 20 hand-worked answers
 * of the server's schedules-cron test). It differs in one corner, a fixed hour with a list or a
 * minute step on a night the clocks change (`30 1,2 * * *`, `*\/15 2 * * *`): croner skips such
 * times in a spring-forward gap and repeats them on a fall-back night, where the server fires them
 * at the gap's end, and once. The server's
 * own nextRunAt, shown on the list and the schedule's page, is the one that counts; mapping wall
 * times to instants here as the server does would mean keeping a second copy of its rules.
 * Both libraries are loaded with the Schedules page only.
 *
 * The server checks the expression again when it is saved, and has the last word: a 400 shows at
 * the cron field. The few spellings croner accepts but jobdeck's dialect refuses (§12: `L`, `W`,
 * `#`, `?`, `@` macros, a year field) are refused here first, so no preview is shown for them.
 */
import { Cron } from "croner";
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

/** Whether Intl knows the zone (what croner needs to compute in it). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
  try {
    // paused: nothing is scheduled in the browser; the object only computes.
    const schedule = new Cron(expression, { timezone, paused: true, domAndDow: isDayAnd(expression) });
    return { isValid: true, description, nextRuns: schedule.nextRuns(count, from) };
  } catch (error) {
    return { isValid: false, field: "cron", problem: cronMessage(error) };
  }
}

/** crontab(5): either day field matches only when both are restricted (neither starts with *). */
function isDayAnd(expression: string): boolean {
  const [dayOfMonth, , dayOfWeek] = expression.split(" ").slice(-3);
  return (dayOfMonth ?? "*").startsWith("*") || (dayOfWeek ?? "*").startsWith("*");
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
