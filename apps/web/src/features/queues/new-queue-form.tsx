import { QUEUE_NAME_PATTERN } from "@jobdeck/contract";
import { useId, useState } from "react";
import { tsr } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { LimitsEditor } from "./queue-limits-form";

const NO_LIMITS = { concurrency: null, perKeyConcurrency: null, rateLimit: null, perKeyRateLimit: null };

/**
 * Limits for a queue that has no jobs yet (PUT creates it, §11): first its name, then the same
 * editor as a queue's row. A name already listed is edited in its row instead, where its ETag
 * guards it: a PUT without If-Match would overwrite it.
 */
export function NewQueueForm({ knownNames, onClose }: { knownNames: string[]; onClose: () => void }) {
  const queryClient = tsr.useQueryClient();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string | undefined>();
  const [issue, setIssue] = useState<string | undefined>();
  const ids = { input: useId(), issue: useId() };

  if (chosen) {
    return (
      <LimitsEditor
        queue={{ name: chosen, ...NO_LIMITS }}
        etag={undefined}
        onReload={() => {}}
        isReloading={false}
        onClose={() => {
          // The new queue sits among the others by name: read the list again.
          void queryClient.invalidateQueries({ queryKey: queryKeys.listQueues.all() });
          onClose();
        }}
      />
    );
  }
  const choose = () => {
    const trimmed = name.trim();
    if (!QUEUE_NAME_PATTERN.test(trimmed))
      setIssue(
        "lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit (at most 64)",
      );
    else if (knownNames.includes(trimmed)) setIssue(`${trimmed} exists: edit its limits in its row`);
    else setChosen(trimmed);
  };
  return (
    <form
      className="limits-form"
      aria-label="New queue"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        choose();
      }}
    >
      <div className="field">
        <label htmlFor={ids.input}>Queue name</label>
        <input
          id={ids.input}
          value={name}
          autoComplete="off"
          aria-invalid={issue ? true : undefined}
          aria-describedby={issue ? ids.issue : undefined}
          onChange={(event) => {
            setName(event.target.value);
            setIssue(undefined);
          }}
        />
        {issue && (
          <p id={ids.issue} className="field-issues">
            {issue}
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary small">
          Set its limits
        </button>
        <button type="button" className="button small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
