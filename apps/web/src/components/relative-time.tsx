import { useEffect, useState } from "react";
import { formatTime, formatTimeFull } from "../lib/format";
import { describeRelative } from "../lib/relative-time";

/** setTimeout's longest delay; beyond it the timer would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The distance from now of `targetMs`, kept true: the component renders again when its text
 * changes (every second in the first minute, every minute in the first hour …), each instance on
 * its own timer, so that a memoised row does not have to.
 */
export function useRelativeTime(targetMs: number): string {
  const [now, setNow] = useState(Date.now);
  const { text, nextChangeInMs } = describeRelative(targetMs, now);
  useEffect(() => {
    const timer = setTimeout(() => setNow(Date.now()), Math.min(nextChangeInMs, MAX_DELAY_MS));
    return () => clearTimeout(timer);
  }, [nextChangeInMs, now]);
  return text;
}

/** The tooltip: the reader's local time to the millisecond, then the instant as the API sends it. */
export const exactTitle = (iso: string) => `${formatTimeFull(iso)}\n${new Date(iso).toISOString()}`;

type RelativeTimeProps = {
  /** An ISO 8601 instant, as the API sends them; null or undefined shows `empty`. */
  iso: string | null | undefined;
  /** Shown for a time that is not there (a job that has not started). */
  empty?: string;
  /**
   * Also write the local time out after the relative one: "short" (Dec 4 20:31:46) where the clock
   * time matters in a list, "full" (to the millisecond, with the offset) on detail pages.
   */
  exact?: "short" | "full";
  className?: string;
};

/**
 * A time as "3 minutes ago" in a `<time>` element: the machine-readable instant in dateTime, the
 * exact local time and the ISO instant on hover.
 */
export function RelativeTime({ iso, empty = "—", exact, className }: RelativeTimeProps) {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (!iso || Number.isNaN(ms)) return <span className={className ?? "muted"}>{iso || empty}</span>;
  return <ValidTime iso={iso} ms={ms} exact={exact} className={className} />;
}

function ValidTime({
  iso,
  ms,
  exact,
  className,
}: {
  iso: string;
  ms: number;
  exact: RelativeTimeProps["exact"];
  className: string | undefined;
}) {
  const text = useRelativeTime(ms);
  return (
    <time dateTime={iso} title={exactTitle(iso)} className={className}>
      {text}
      {exact && <span className="muted"> · {exact === "full" ? formatTimeFull(iso) : formatTime(iso)}</span>}
    </time>
  );
}
