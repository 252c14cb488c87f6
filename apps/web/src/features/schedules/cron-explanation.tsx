import { useDeferredValue, useEffect, useState } from "react";
import { formatInZone, PREVIEW_RUNS, previewCron } from "./cron-preview";

/** The preview moves on with the clock: a "* * * * * *" schedule's next times are seconds away. */
const TICK_MS = 1000;

type CronExplanationProps = { cron: string; timezone: string; viewerZone: string };

/**
 * What a cron expression means, as the form is typed: in words, and the next five fire times in
 * the schedule's zone and in the reader's (one column when they are the same zone).
 */
export function CronExplanation({ cron, timezone, viewerZone }: CronExplanationProps) {
  const deferredCron = useDeferredValue(cron);
  const deferredZone = useDeferredValue(timezone);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  if (deferredCron.trim() === "") {
    return (
      <section className="cron-explanation muted" aria-label="What the cron expression means">
        Type a cron expression to see what it means and when it fires next.
      </section>
    );
  }
  const preview = previewCron(deferredCron, deferredZone, new Date(now));
  if (!preview.isValid) {
    return (
      <section className="cron-explanation invalid" aria-label="What the cron expression means">
        <p>
          {preview.field === "timezone" ? "Time zone" : "Cron expression"}: {preview.problem}
        </p>
      </section>
    );
  }
  const isSameZone = deferredZone === viewerZone;
  return (
    <section className="cron-explanation" aria-label="What the cron expression means">
      <p className="cron-words">
        <strong>{preview.description}</strong>
        <span className="muted"> ({deferredZone})</span>
      </p>
      {preview.nextRuns.length === 0 ? (
        <p className="muted">It never fires.</p>
      ) : (
        <table className="next-runs" aria-label={`Next ${PREVIEW_RUNS} fire times`}>
          <thead>
            <tr>
              <th scope="col">In {deferredZone}</th>
              {!isSameZone && <th scope="col">Your time ({viewerZone})</th>}
            </tr>
          </thead>
          <tbody>
            {preview.nextRuns.map((run) => (
              <tr key={run.getTime()}>
                <td>
                  <time dateTime={run.toISOString()}>{formatInZone(run, deferredZone)}</time>
                </td>
                {!isSameZone && <td>{formatInZone(run, viewerZone)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
