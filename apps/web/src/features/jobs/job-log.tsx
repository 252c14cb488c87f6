import { LOG_BYTES_MAX, LOG_LEVELS, LOG_LINES_MAX, type JobLogLine, type LogLevel } from "@jobdeck/contract";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem } from "../../lib/api-errors";
import { useJobLog } from "./use-job-log";

/** Lines shown at first, and how many more "Show earlier lines" adds. */
export const LOG_WINDOW = 200;
/** Within this many pixels of the end, the view counts as at the bottom (and follows). */
const BOTTOM_SLACK_PX = 8;

const timeOf = (iso: string) => iso.slice(11, 23);

/**
 * A job's live log (§14): a level filter, the newest lines with earlier ones a click away, new lines
 * as they are written, and follow mode: while the view is at its end it stays there; scrolling up
 * stops following, the checkbox or scrolling back down resumes it.
 */
export function JobLog({ jobId, hasStarted = true }: { jobId: string; hasStarted?: boolean }) {
  const [selected, setSelected] = useState<readonly LogLevel[]>(LOG_LEVELS);
  const levels = useMemo(() => (selected.length === LOG_LEVELS.length ? null : selected), [selected]);
  const log = useJobLog(jobId, levels, { hasStarted });
  const [shown, setShown] = useState(LOG_WINDOW);
  const [isFollowing, setIsFollowing] = useState(true);
  const view = useRef<HTMLDivElement>(null);

  const visible = log.lines.slice(Math.max(0, log.lines.length - shown));
  const hidden = log.lines.length - visible.length;
  const lastSeq = visible.at(-1)?.seq;

  useLayoutEffect(() => {
    const element = view.current;
    if (isFollowing && element) element.scrollTop = element.scrollHeight;
  }, [visible.length, lastSeq, isFollowing]);

  const toggle = (level: LogLevel) =>
    setSelected((current) =>
      current.includes(level)
        ? current.filter((l) => l !== level)
        : LOG_LEVELS.filter((l) => l === level || current.includes(l)),
    );

  return (
    <>
      <div className="section-tools log-tools">
        <fieldset className="log-levels">
          <legend>Levels</legend>
          {LOG_LEVELS.map((level) => (
            <label key={level} className={`log-level-choice level-${level}`}>
              <input
                type="checkbox"
                checked={selected.includes(level)}
                // At least one level stays chosen: no filter would show nothing.
                disabled={selected.length === 1 && selected.includes(level)}
                onChange={() => toggle(level)}
              />
              {level}
            </label>
          ))}
        </fieldset>
        <label className="log-follow">
          <input
            type="checkbox"
            checked={isFollowing}
            onChange={(event) => setIsFollowing(event.target.checked)}
          />
          Follow new lines
        </label>
      </div>
      {log.isPending ? (
        <p role="status" className="muted">
          {log.readSoFar > 0
            ? `Reading the log… ${log.readSoFar.toLocaleString("en-US")} lines so far`
            : "Loading the log…"}
        </p>
      ) : log.isError && log.lines.length === 0 ? (
        <ProblemPanel
          title="The log could not be loaded"
          problem={toProblem(log.error)}
          onRetry={log.refetch}
        />
      ) : (
        <>
          {hidden > 0 && (
            <button type="button" className="button small" onClick={() => setShown((n) => n + LOG_WINDOW)}>
              Show earlier lines ({hidden.toLocaleString("en-US")} more)
            </button>
          )}
          <div
            ref={view}
            role="log"
            aria-label="Job log"
            className="job-log"
            tabIndex={0}
            onScroll={(event) => {
              const element = event.currentTarget;
              setIsFollowing(
                element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX,
              );
            }}
          >
            {visible.length === 0 ? (
              <p className="muted">{levels ? "No lines of these levels yet." : "No lines yet."}</p>
            ) : (
              <ol className="log-lines">
                {visible.map((line) => (
                  <LogLine key={line.seq} line={line} />
                ))}
              </ol>
            )}
          </div>
          <p className="muted small" role="status">
            {`${log.lines.length.toLocaleString("en-US")} ${log.lines.length === 1 ? "line" : "lines"}`}
            {log.droppedLines > 0 &&
              ` · ${log.droppedLines.toLocaleString("en-US")} more were dropped: a job keeps its first ${LOG_LINES_MAX.toLocaleString("en-US")} lines and ${LOG_BYTES_MAX / 1024 / 1024} MiB`}
          </p>
        </>
      )}
    </>
  );
}

function LogLine({ line }: { line: JobLogLine }) {
  return (
    <li className={`log-line level-${line.level}`} data-seq={line.seq}>
      <time dateTime={line.at} title={line.at}>
        {timeOf(line.at)}
      </time>
      <span className="log-level">{line.level}</span>
      <span className="log-attempt" title={`Attempt ${line.attempt}`}>
        #{line.attempt}
      </span>
      <span className="log-message">{line.message}</span>
      {line.fields && <code className="log-fields">{JSON.stringify(line.fields)}</code>}
    </li>
  );
}
