import type { JobType } from "@jobdeck/contract";
import { useId, useRef, useState } from "react";
import { JsonTree } from "../../components/json-tree";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { toProblem } from "../../lib/api-errors";
import { formatDuration, shortId } from "../../lib/format";
import { validateJson, type SchemaIssue } from "../../lib/json-schema";
import { notify } from "../../lib/notices";
import { navigate, paths, useLocation } from "../../lib/router";
import { lastListPath, markJustCreated } from "./list-memory";
import { matchesListQuery, parseListState, toListQuery } from "./list-state";
import { starterPayload } from "./starter-payloads";
import { useCreateJob } from "./use-create-job";
import { useJob } from "./use-job";
import { useJobTypes } from "./use-job-types";

/** /jobs/new?type=<type>[&from=<job id>]: "from" starts from that job's type and payload. */
export function CreateJobPage() {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const fromId = params.get("from") ?? undefined;
  const jobTypes = useJobTypes();
  const source = useJob(fromId ?? "", { isEnabled: fromId !== undefined });

  let body;
  if (jobTypes.isPending || (fromId && source.isPending)) {
    body = (
      <p role="status" className="muted">
        Loading job types…
      </p>
    );
  } else if (jobTypes.isError) {
    body = (
      <ProblemPanel
        title="Job types could not be loaded"
        problem={toProblem(jobTypes.error)}
        onRetry={() => void jobTypes.refetch()}
      />
    );
  } else if (jobTypes.data.length === 0) {
    body = <p>This server has no job types registered.</p>;
  } else {
    const sourceJob = source.data;
    const requested = sourceJob?.type ?? params.get("type");
    const initialType = jobTypes.data.find((t) => t.type === requested)?.type ?? jobTypes.data[0]?.type ?? "";
    body = (
      <CreateJobForm
        key={`${initialType}:${sourceJob?.id ?? ""}`}
        jobTypes={jobTypes.data}
        initialType={initialType}
        initialPayload={sourceJob ? JSON.stringify(sourceJob.payload, null, 2) : undefined}
      />
    );
  }
  return (
    <div className="create-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={lastListPath()}>← Jobs</Link>
      </nav>
      <h1>New job</h1>
      {body}
    </div>
  );
}

type ParsedPayload = { value: unknown; error?: undefined } | { value?: undefined; error: string };

function parsePayload(text: string): ParsedPayload {
  if (text.trim() === "") return { error: "is required: enter a JSON value" };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `is not valid JSON: ${(error as Error).message}` };
  }
}

const fieldOf = (path: string) =>
  path === "type" ? "type" : path === "payload" || path.startsWith("payload.") ? "payload" : "form";
const issueText = (issue: SchemaIssue) =>
  issue.path === "payload" ? issue.message : `${issue.path.replace(/^payload\./, "")}: ${issue.message}`;

type CreateJobFormProps = { jobTypes: JobType[]; initialType: string; initialPayload: string | undefined };

function CreateJobForm({ jobTypes, initialType, initialPayload }: CreateJobFormProps) {
  const [type, setType] = useState(initialType);
  const definition = jobTypes.find((t) => t.type === type);
  const [payloadText, setPayloadText] = useState(
    () => initialPayload ?? starterPayload(type, definition?.payloadSchema),
  );
  const [isEdited, setIsEdited] = useState(initialPayload !== undefined);
  const [isChecked, setIsChecked] = useState(false);
  const payloadRef = useRef<HTMLTextAreaElement>(null);
  const create = useCreateJob();
  const ids = {
    type: useId(),
    typeHelp: useId(),
    payloadHelp: useId(),
    payloadErrors: useId(),
    typeErrors: useId(),
  };

  const parsed = parsePayload(payloadText);
  const clientIssues: SchemaIssue[] =
    parsed.error !== undefined
      ? [{ path: "payload", message: parsed.error }]
      : validateJson(definition?.payloadSchema, parsed.value, "payload");
  const problem = create.error ? toProblem(create.error) : undefined;
  const serverIssues = problem?.details ?? [];
  const payloadIssues = [
    ...(isChecked ? clientIssues : []),
    ...serverIssues.filter((d) => fieldOf(d.path) === "payload"),
  ];
  const typeIssues = serverIssues.filter((d) => fieldOf(d.path) === "type");
  const otherIssues = serverIssues.filter((d) => fieldOf(d.path) === "form");

  const changeType = (next: string) => {
    setType(next);
    create.reset();
    if (!isEdited) setPayloadText(starterPayload(next, jobTypes.find((t) => t.type === next)?.payloadSchema));
    navigate(paths.create(next), { replace: true });
  };

  const submit = () => {
    setIsChecked(true);
    if (clientIssues.length > 0 || parsed.error !== undefined) {
      payloadRef.current?.focus();
      return;
    }
    create.create(
      { type, payload: parsed.value },
      {
        onSuccess: (response) => {
          const job = response.body.data;
          markJustCreated(job.id);
          const back = lastListPath();
          const isShown = matchesListQuery(
            job,
            toListQuery(parseListState(new URL(back, window.location.href).search), Date.now()),
          );
          notify(
            `Created ${job.type} job ${shortId(job.id)}${isShown ? "" : " (hidden by the list's filters)"}`,
            {
              action: { label: "Open", href: paths.job(job.id) },
            },
          );
          navigate(back);
        },
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
      {problem && (
        <div className="form-error" role="alert">
          {problem.status === undefined ? (
            // The request may have arrived; its Idempotency-Key makes sending it again safe.
            <>
              <strong>No answer from the server.</strong> {problem.message} Creating the job again is safe: it
              will not be created twice.
            </>
          ) : (
            <>
              <strong>The server refused the job.</strong> {problem.message}
            </>
          )}
          {otherIssues.length > 0 && (
            <ul>
              {otherIssues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>{issueText(issue)}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div className="field">
        <label htmlFor={ids.type}>Type</label>
        <select
          id={ids.type}
          value={type}
          aria-describedby={`${ids.typeHelp}${typeIssues.length ? ` ${ids.typeErrors}` : ""}`}
          aria-invalid={typeIssues.length > 0 || undefined}
          onChange={(event) => changeType(event.target.value)}
        >
          {jobTypes.map((t) => (
            <option key={t.type} value={t.type}>
              {t.type}
            </option>
          ))}
        </select>
        <p id={ids.typeHelp} className="help">
          {definition?.description}{" "}
          {definition && (
            <span className="muted">
              Result: {definition.resultType} · up to {definition.maxAttempts} attempts · times out after{" "}
              {formatDuration(definition.timeoutMs)}
            </span>
          )}
        </p>
        <FieldIssues id={ids.typeErrors} issues={typeIssues} />
      </div>

      <div className="field">
        <div className="field-label-row">
          <label htmlFor={`${ids.type}-payload`}>Payload (JSON)</label>
          <span className="field-tools">
            <button
              type="button"
              className="link-button"
              disabled={parsed.error !== undefined}
              onClick={() =>
                parsed.error === undefined && setPayloadText(JSON.stringify(parsed.value, null, 2))
              }
            >
              Format
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setPayloadText(starterPayload(type, definition?.payloadSchema));
                setIsEdited(false);
                create.reset();
              }}
            >
              Reset to example
            </button>
          </span>
        </div>
        <textarea
          id={`${ids.type}-payload`}
          ref={payloadRef}
          className="payload-input"
          value={payloadText}
          rows={Math.min(24, Math.max(8, payloadText.split("\n").length + 1))}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={payloadIssues.length > 0 || undefined}
          aria-describedby={`${ids.payloadHelp}${payloadIssues.length ? ` ${ids.payloadErrors}` : ""}`}
          onChange={(event) => {
            setPayloadText(event.target.value);
            setIsEdited(true);
            if (create.error) create.reset();
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <p id={ids.payloadHelp} className="help muted">
          Checked against the type&apos;s schema before it is sent. Ctrl+Enter creates the job.
        </p>
        <FieldIssues id={ids.payloadErrors} issues={payloadIssues} />
        {definition && (
          <details className="schema">
            <summary>Payload schema</summary>
            <JsonTree value={definition.payloadSchema} openDepth={3} />
          </details>
        )}
      </div>

      <div className="form-actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create job"}
        </button>
        <Link to={lastListPath()} className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}

function FieldIssues({ id, issues }: { id: string; issues: SchemaIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="field-issues">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>{issueText(issue)}</li>
      ))}
    </ul>
  );
}
