import { Cron } from "croner";
import { instantsOf, isUtc, offsetAt, transitionBetween, wallOf } from "./zone.js";

/**
 * Fire times of a schedule (§12): Vixie cron on a time zone's wall clock.
 *
 * croner matches the pattern, on wall times (it runs with `utcOffset: 0`, so it never looks at a
 * zone); this file maps the wall times it finds to instants, by the spec's rules for daylight
 * saving time. croner's own `timezone` option does nearly the same, but it calls a pattern with a
 * fixed hour and a list or step elsewhere (`30 1,2 * * *`, `*\/15 2 * * *`) an interval job and skips
 * its times in a spring-forward gap, where §12 fires them at the end of the gap; it also costs ten
 * times as much per fire time (about 115 µs against 12 µs here). The rules:
 *
 * - hour field `*` or a step ("every"): every instant whose wall time matches. A time in a gap has
 *   no instant and does not fire; a repeated time fires on both passes.
 * - any other hour field ("fixed"): fixed local times. One in a gap fires at the first instant
 *   after the gap (02:30 → 03:00); a repeated one fires once, on its first pass.
 */

export type CronRule = { cron: string; timezone: string };

type Field = { name: string; min: number; max: number; names?: readonly string[] };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const SECOND: Field = { name: "second", min: 0, max: 59 };
const FIVE_FIELDS: Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

const ITEM = /^(\*|([0-9]{1,2}|[A-Za-z]{3})(?:-([0-9]{1,2}|[A-Za-z]{3}))?)(?:\/([0-9]{1,2}))?$/;

/** A value of a field, a number or (month, weekday) a three-letter name; undefined when neither. */
function valueOf(field: Field, text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field === FIVE_FIELDS[3] ? index + 1 : index;
}

/** Why one field is not Vixie cron, or undefined when it is. */
function fieldProblem(field: Field, text: string): string | undefined {
  for (const item of text.split(",")) {
    const match = ITEM.exec(item);
    if (!match) {
      if (/[LW#?]/i.test(item))
        return `${field.name} field "${text}": L, W, # and ? are not part of Vixie cron`;
      return `${field.name} field "${text}" is not a number, *, a range, a step or a list of them`;
    }
    const [, base, low, high, step] = match;
    if (step !== undefined) {
      if (Number(step) < 1) return `${field.name} field "${text}": a step must be at least 1`;
      if (base !== "*" && high === undefined)
        return `${field.name} field "${text}": a step follows * or a range (*/5, 1-30/5)`;
    }
    for (const part of [low, high]) {
      if (part === undefined) continue;
      const value = valueOf(field, part);
      if (value === undefined) return `${field.name} field "${text}": "${part}" is not a ${field.name}`;
      if (value < field.min || value > field.max)
        return `${field.name} field "${text}": ${part} is not between ${field.min} and ${field.max}`;
    }
    if (low !== undefined && high !== undefined && valueOf(field, low)! > valueOf(field, high)!)
      return `${field.name} field "${text}": a range goes from low to high`;
  }
  return undefined;
}

type Compiled = {
  /** Matches wall times (croner with `utcOffset: 0`). */
  pattern: Cron;
  mode: "every" | "fixed";
};

/** Why an expression is not a cron of §12, or the compiled form. */
function compileUncached(expression: string): Compiled | string {
  const parts = expression.trim().split(/\s+/);
  if (parts.some((part) => part.startsWith("@"))) return "@ macros are not supported: write the five fields";
  if (parts.length !== 5 && parts.length !== 6)
    return `must have 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; it has ${parts.length}`;
  const fields = parts.length === 6 ? [SECOND, ...FIVE_FIELDS] : FIVE_FIELDS;
  for (const [i, field] of fields.entries()) {
    const problem = fieldProblem(field, parts[i]!);
    if (problem) return problem;
  }
  const [hour, dayOfMonth, , dayOfWeek] = parts.slice(-4);
  let pattern: Cron;
  try {
    pattern = new Cron(parts.join(" "), {
      utcOffset: 0,
      mode: "5-or-6-parts",
      // Vixie: when either day field starts with *, a day must match both (the * one matches any);
      // only when both are restricted does either one match (crontab(5)).
      domAndDow: dayOfMonth!.startsWith("*") || dayOfWeek!.startsWith("*"),
    });
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, "");
  }
  // A probe far enough to meet every date a pattern can name (29 February included).
  if (pattern.nextRun(new Date(Date.UTC(2000, 0, 1))) === null) return "matches no date";
  const mode = hour!.split(",").some((item) => item.startsWith("*") || item.includes("/"))
    ? "every"
    : "fixed";
  return { pattern, mode };
}

const MAX_CACHED = 10_000;
const compiled = new Map<string, Compiled | string>();

/** Compiling costs about 80 µs and schedules share few expressions: each is compiled once. */
function compile(expression: string): Compiled | string {
  let entry = compiled.get(expression);
  if (entry === undefined) {
    entry = compileUncached(expression);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(expression, entry);
  }
  return entry;
}

/** Why `expression` is not a cron of §12 (for a 400 at `cron`), or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  const entry = compile(expression);
  return typeof entry === "string" ? entry : undefined;
}

function compiledOf(expression: string): Compiled {
  const entry = compile(expression);
  if (typeof entry === "string") throw new Error(`not a valid cron expression: ${expression}`);
  return entry;
}

/** The first wall time after `wall` that the pattern matches (croner works in whole seconds). */
const nextWall = (pattern: Cron, wall: number): number | null =>
  pattern.nextRun(new Date(wall))?.getTime() ?? null;

/** Enough wall matches to cross any DST repeat or gap: a pattern matches at most once a second. */
const MAX_STEPS = 20_000;
const HOUR_MS = 3_600_000;

/** The first fire time strictly after the instant `after`, or null when there is none. */
export function nextFireAfter({ cron, timezone }: CronRule, after: number): number | null {
  const { pattern, mode } = compiledOf(cron);
  if (isUtc(timezone)) return nextWall(pattern, after);
  return mode === "fixed" ? nextFixed(pattern, timezone, after) : nextEvery(pattern, timezone, after);
}

/**
 * Fixed local times: the wall → instant mapping (first pass of a repeat, the gap's end for a time in
 * a gap) never goes back as wall time goes forward, so the first wall match after wall(after) whose
 * instant is after `after` is the answer.
 */
function nextFixed(pattern: Cron, zone: string, after: number): number | null {
  let wall = wallOf(zone, after);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = nextWall(pattern, wall);
    if (next === null) return null;
    wall = next;
    const instants = instantsOf(zone, wall);
    const at =
      instants.kind === "one" ? instants.at : instants.kind === "two" ? instants.first : instants.gapEnd;
    if (at > after) return at;
  }
  return null;
}

/**
 * Every matching instant: the first wall match after wall(after) that has an instant after `after`
 * (a time in a gap has none) — or, when the clock falls back within the next hours, a wall time at
 * or before wall(after) that comes round again on the second pass, which may be sooner.
 */
function nextEvery(pattern: Cron, zone: string, after: number): number | null {
  let found: number | null = null;
  let wall = wallOf(zone, after);
  for (let step = 0; step < MAX_STEPS && found === null; step++) {
    const next = nextWall(pattern, wall);
    if (next === null) break;
    wall = next;
    const instants = instantsOf(zone, wall);
    if (instants.kind === "one" && instants.at > after) found = instants.at;
    if (instants.kind === "two")
      found = instants.first > after ? instants.first : instants.second > after ? instants.second : null;
  }
  const offsetNow = offsetAt(zone, after);
  const offsetLater = offsetAt(zone, after + 3 * HOUR_MS);
  if (offsetLater < offsetNow) {
    // The repeated wall times are [T + offsetLater, T + offsetNow); their second pass is at wall - offsetLater.
    const fallBack = transitionBetween(zone, after, after + 3 * HOUR_MS, offsetLater);
    const from = Math.max(fallBack + offsetLater, after + offsetLater + 1);
    const again = nextWall(pattern, from - 1);
    if (again !== null && again < fallBack + offsetNow) {
      const at = again - offsetLater;
      if (at > after && (found === null || at < found)) found = at;
    }
  }
  return found;
}

/**
 * The latest fire time in [from, before), or null when there is none: for catchUp "latest". Looks
 * back in windows that grow, so a long downtime of a frequent schedule costs no more than a short one.
 */
export function latestFireIn(rule: CronRule, from: number, before: number): number | null {
  for (let window = 60_000; ; window *= 4) {
    const start = Math.max(from, before - window);
    let last: number | null = null;
    for (let next = nextFireAfter(rule, start - 1); next !== null && next < before;) {
      last = next;
      next = nextFireAfter(rule, next);
    }
    if (last !== null || start === from) return last;
  }
}
