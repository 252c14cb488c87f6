/**
 * "3 minutes ago", "in 4 minutes": a time as its distance from now, and when that text next
 * changes, so that a component re-renders exactly then instead of on a fixed tick.
 *
 * English like the rest of the dashboard (Intl in the reader's language would mix languages in one
 * sentence), and the long style, which reads the same in every ICU version ("3 min." and "3m" are
 * not stable across browsers).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Each unit is used from its own size up to the next unit's. Months and years are approximate. */
const UNITS: [unit: Intl.RelativeTimeFormatUnit, ms: number][] = [
  ["year", 365 * DAY],
  ["month", 30 * DAY],
  ["day", DAY],
  ["hour", HOUR],
  ["minute", MINUTE],
  ["second", SECOND],
];

/** Closer than this reads "now", whichever side: a clock skew of a few seconds is not news. */
export const NOW_WINDOW_MS = 5 * SECOND;

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "long" });

export type Relative = {
  text: string;
  /** Milliseconds until `text` would read differently (at least 1). */
  nextChangeInMs: number;
};

/**
 * The distance is cut toward zero in the largest unit that fits: 3 min 59 s ago is "3 minutes ago",
 * and 4 min 59 s ahead is "in 4 minutes", as a clock's minute hand reads.
 */
export function describeRelative(targetMs: number, nowMs: number): Relative {
  const diff = nowMs - targetMs;
  const distance = Math.abs(diff);
  if (distance < NOW_WINDOW_MS) {
    // Past times leave the window as they age; future ones stay "now" until they are past it.
    return { text: "now", nextChangeInMs: Math.max(1, NOW_WINDOW_MS - diff) };
  }
  const [unit, size] = UNITS.find(([, ms]) => distance >= ms) ?? ["second", SECOND];
  const count = Math.floor(distance / size);
  const text = rtf.format(diff > 0 ? -count : count, unit);
  // Past: the count grows at the next multiple. Future: it shrinks just below the current one (and
  // a unit boundary, 60 s → 59 s, is the same moment).
  const nextChangeInMs = diff > 0 ? (count + 1) * size - distance : distance - count * size + 1;
  return { text, nextChangeInMs: Math.max(1, nextChangeInMs) };
}
