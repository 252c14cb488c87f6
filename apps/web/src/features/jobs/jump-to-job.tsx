import type { Job } from "@jobdeck/contract";
import { forwardRef, useState } from "react";
import { UUID_PATTERN } from "../../lib/format";
import { navigate, paths } from "../../lib/router";

type JumpToJobProps = { loadedJobs: Job[] };

/**
 * Paste a job id (or any text holding one: a URL, a log line) to open it. A short id, as the list
 * shows them, is looked up among the loaded rows.
 */
export const JumpToJob = forwardRef<HTMLInputElement, JumpToJobProps>(function JumpToJob(
  { loadedJobs },
  ref,
) {
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | undefined>();

  const jump = (value: string) => {
    const full = UUID_PATTERN.exec(value)?.[0];
    if (full) {
      navigate(paths.job(full.toLowerCase()));
      return;
    }
    const needle = value.trim().toLowerCase().replace(/-/g, "");
    if (!/^[0-9a-f]{4,32}$/.test(needle)) {
      setMessage(value.trim() ? "That is not a job id." : undefined);
      return;
    }
    const matches = loadedJobs.filter((job) => job.id.replace(/-/g, "").includes(needle));
    if (matches.length === 1 && matches[0]) navigate(paths.job(matches[0].id));
    else if (matches.length === 0) setMessage("No loaded job has that id. Paste the full id.");
    else setMessage(`${matches.length} loaded jobs match. Type more of the id.`);
  };

  return (
    <form
      role="search"
      className="jump"
      onSubmit={(event) => {
        event.preventDefault();
        jump(text);
      }}
    >
      <input
        ref={ref}
        type="search"
        aria-label="Jump to job id"
        aria-describedby={message ? "jump-message" : undefined}
        aria-invalid={message ? true : undefined}
        placeholder="Jump to job id  ( / )"
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          setMessage(undefined);
        }}
        onPaste={(event) => {
          const pasted = event.clipboardData.getData("text");
          if (UUID_PATTERN.test(pasted)) {
            event.preventDefault();
            jump(pasted);
          }
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            setText("");
            setMessage(undefined);
            event.currentTarget.blur();
          }
        }}
      />
      {message && (
        <span id="jump-message" className="jump-message" role="status">
          {message}
        </span>
      )}
    </form>
  );
});
