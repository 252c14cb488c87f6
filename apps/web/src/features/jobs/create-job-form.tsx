import type { DedupeMode, Job, JobType } from "@jobdeck/contract";
import { useRef, useState } from "react";
import type { JsonEditorHandle } from "../../components/json-editor";
import { Link } from "../../components/link";
import { toProblem } from "../../lib/api-errors";
import { shortId } from "../../lib/format";
import { notify } from "../../lib/notices";
import { navigate, paths } from "../../lib/router";
import { CreateJobProblem } from "./create-job-problem";
import { retryChanges, toJobOptions, type JobOptionsForm, type OptionsIssues } from "./job-options";
import { JobOptionsFields } from "./job-options-fields";
import { JobTypeField } from "./job-type-field";
import { lastListPath, markJustCreated } from "./list-memory";
import { matchesListQuery, parseListState, toListQuery } from "./list-state";
import { PayloadField } from "./payload-field";
import { checkPayload, issuesByField, parsePayload } from "./payload-issues";
import { starterPayload } from "./starter-payloads";
import { useCreateJob } from "./use-create-job";
import { useRetryJob } from "./use-job-actions";

type CreateJobFormProps = {
  jobTypes: JobType[];
  initialType: string;
  initialPayload: string | undefined;
  initialOptions: JobOptionsForm;
  /** The reader's queues, suggested in the queue field. */
  queueNames: string[];
  /**
   * "Edit & run again" of an ended job: the form sends a retry with changes (§15) of it instead of
   * a create, so the new job names it in retryOf; its type cannot change.
   */
  retryOf?: Job | undefined;
};

/**
 * A type and a JSON payload, checked here before they are sent; the server's refusal is shown by
 * the field it is about. A created job is announced, and the reader goes back to the list.
 */
export function CreateJobForm({
  jobTypes,
  initialType,
  initialPayload,
  initialOptions,
  queueNames,
  retryOf,
}: CreateJobFormProps) {
  const [type, setType] = useState(initialType);
  const schemaOf = (name: string) => jobTypes.find((t) => t.type === name)?.payloadSchema;
  const [payloadText, setPayloadText] = useState(
    () => initialPayload ?? starterPayload(type, schemaOf(type)),
  );
  // An edited payload is kept when the type changes; an untouched example follows the type.
  const [isEdited, setIsEdited] = useState(initialPayload !== undefined);
  // The payload's issues are shown from the first attempt on, not while the reader is still typing.
  const [isChecked, setIsChecked] = useState(false);
  const payloadRef = useRef<JsonEditorHandle>(null);
  const [options, setOptions] = useState(initialOptions);
  const [optionIssues, setOptionIssues] = useState<OptionsIssues>({});
  const create = useCreateJob();
  const retry = useRetryJob();

  const parsed = parsePayload(payloadText);
  const clientIssues = checkPayload(parsed, schemaOf(type));
  const failure = create.error ?? retry.error;
  const problem = failure ? toProblem(failure) : undefined;
  const serverIssues = issuesByField(problem?.details ?? []);

  const changeType = (next: string) => {
    setType(next);
    create.reset();
    if (!isEdited) setPayloadText(starterPayload(next, schemaOf(next)));
    navigate(paths.create(next), { replace: true });
  };

  const submit = () => {
    setIsChecked(true);
    const checked = toJobOptions(options, Date.now());
    setOptionIssues(checked.issues ?? {});
    if (parsed.error !== undefined || clientIssues.length > 0) {
      payloadRef.current?.focus();
      return;
    }
    if (checked.issues) return;
    if (retryOf) {
      retry.retry(retryOf.id, retryChanges(parsed.value, checked.options, Date.now()));
      return;
    }
    create.create(
      { type, payload: parsed.value, ...checked.options },
      {
        onSuccess: (response) =>
          // 200: a pending job held the dedupe key, and this create folded into it (§11).
          response.status === 200
            ? announceDeduplicated(response.body.data, checked.options.dedupe ?? "skip")
            : announceCreated(response.body.data),
      },
    );
  };

  return (
    <form
      className="create-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {problem && <CreateJobProblem problem={problem} issues={serverIssues.form} />}
      <JobTypeField jobTypes={jobTypes} value={type} onChange={changeType} issues={serverIssues.type} />
      <PayloadField
        value={payloadText}
        onEdit={(text) => {
          setPayloadText(text);
          setIsEdited(true);
          if (create.error) create.reset();
          if (retry.error) retry.reset();
        }}
        onFormat={setPayloadText}
        onReset={() => {
          setPayloadText(starterPayload(type, schemaOf(type)));
          setIsEdited(false);
          create.reset();
        }}
        issues={[...(isChecked ? clientIssues : []), ...serverIssues.payload]}
        schema={schemaOf(type)}
        inputRef={payloadRef}
      />
      <JobOptionsFields
        value={options}
        onChange={(patch) => {
          setOptions((old) => ({ ...old, ...patch }));
          setOptionIssues((old) => {
            const next = { ...old };
            for (const field of Object.keys(patch)) delete next[field as keyof OptionsIssues];
            return next;
          });
          if (create.error) create.reset();
        }}
        issues={optionIssues}
        queueNames={queueNames}
      />
      <div className="form-actions">
        {retryOf ? (
          <button type="submit" className="button primary" disabled={retry.isPending}>
            {retry.isPending ? "Retrying…" : "Run again with these changes"}
          </button>
        ) : (
          <button type="submit" className="button primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create job"}
          </button>
        )}
        <Link to={lastListPath()} className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}

/**
 * No new job: a pending one holds the dedupe key, and the server left it as it was (skip) or gave
 * it this request's payload and options (replace, debounce). Said as such, with a way to open it.
 */
function announceDeduplicated(job: Job, mode: DedupeMode) {
  notify(
    `Deduplicated: ${job.type} job ${shortId(job.id)} already waits with dedupe key “${job.dedupeKey ?? ""}”; ` +
      (mode === "skip"
        ? "it was left as it was, and no job was created"
        : "it now has this payload and these options"),
    { action: { label: "Open", href: paths.job(job.id) } },
  );
  navigate(lastListPath());
}

/** Back to the list the reader came from, saying whether its filters will show the new job. */
function announceCreated(job: Job) {
  markJustCreated(job.id);
  const back = lastListPath();
  const view = parseListState(new URL(back, window.location.href).search);
  const isShown = matchesListQuery(job, toListQuery(view, Date.now()));
  notify(`Created ${job.type} job ${shortId(job.id)}${isShown ? "" : " (hidden by the list's filters)"}`, {
    action: { label: "Open", href: paths.job(job.id) },
  });
  navigate(back);
}
