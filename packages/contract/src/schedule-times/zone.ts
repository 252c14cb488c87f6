/**
 * A time zone's wall clock, as plain numbers: a "wall" time is the zone's local date and time
 * written as if it were UTC milliseconds (02:30 local on 29 March is Date.UTC(…, 2, 30)). The cron
 * library matches patterns against wall times; this file says which instants a wall time is.
 * Offsets come from the zone database that Node's Intl carries.
 */

const HOUR_MS = 3_600_000;
/** Wider than any offset (±14 h) plus any DST shift: the instants around a wall time lie within. */
const AROUND_MS = 17 * HOUR_MS;

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu"]);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether Intl knows `zone` as an IANA name (not an offset such as "+02:00"). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

export const isUtc = (zone: string): boolean => UTC_ZONES.has(zone);

/** The zone's offset from UTC at `instant`, in ms: wall = instant + offset. */
export function offsetAt(zone: string, instant: number): number {
  if (isUtc(zone)) return 0;
  const seconds = Math.floor(instant / 1000) * 1000;
  const parts = formatterOf(zone).formatToParts(new Date(seconds));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const isBc = parts.find((part) => part.type === "era")?.value === "BC";
  const year = isBc ? 1 - field("year") : field("year");
  const wall = Date.UTC(
    year,
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  // Date.UTC maps years 0–99 to 1900–1999.
  const fixed = year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  return fixed - seconds;
}

/** The wall time of an instant. */
export const wallOf = (zone: string, instant: number): number => instant + offsetAt(zone, instant);

/**
 * The instants whose wall time is `wall`: one; two on a fall-back day (the repeated hour), earlier
 * first; or none, in a spring-forward gap, where `gapEnd` is the transition: the first instant
 * after the gap.
 */
export type WallInstants =
  | { kind: "one"; at: number }
  | { kind: "two"; first: number; second: number }
  | { kind: "gap"; gapEnd: number };

export function instantsOf(zone: string, wall: number): WallInstants {
  const before = offsetAt(zone, wall - AROUND_MS);
  const after = offsetAt(zone, wall + AROUND_MS);
  if (before === after) return { kind: "one", at: wall - before };
  const early = wall - before;
  const late = wall - after;
  const isEarly = offsetAt(zone, early) === before;
  const isLate = offsetAt(zone, late) === after;
  if (isEarly && isLate) return { kind: "two", first: Math.min(early, late), second: Math.max(early, late) };
  if (isEarly) return { kind: "one", at: early };
  if (isLate) return { kind: "one", at: late };
  return { kind: "gap", gapEnd: transitionBetween(zone, late, early, after) };
}

/** The first instant in (from, to] whose offset is `to`'s `offset`; the offset changes once there. */
export function transitionBetween(zone: string, from: number, to: number, offset: number): number {
  let low = from;
  let high = to;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(zone, middle) === offset) high = middle;
    else low = middle;
  }
  return high;
}
