import type { Job } from "@jobdeck/contract";
import { useState } from "react";
import { CopyButton } from "../../components/copy-button";
import { JsonTree } from "../../components/json-tree";
import { isNotFound, toProblem } from "../../lib/api-errors";
import { useArtifactUrl } from "./use-artifact";

const WAITING: Record<Job["status"], string> = {
  pending: "No result yet: the job is waiting to run.",
  running: "No result yet: the job is running.",
  completed: "The job completed without a result.",
  failed: "The job failed; it has no result.",
  cancelled: "The job was cancelled before it produced a result.",
};

/** The job's outcome, drawn by its resultType; the error first when it failed. */
export function JobResult({ job }: { job: Job }) {
  const hasResult = job.result !== null && job.result !== undefined;
  return (
    <div className="job-result">
      {job.error && (
        <div className="job-error" role="alert">
          <strong>{job.error.code}</strong>
          <p>{job.error.message}</p>
        </div>
      )}
      {hasResult ? <ResultBody job={job} /> : <p className="muted">{WAITING[job.status]}</p>}
    </div>
  );
}

function ResultBody({ job }: { job: Job }) {
  switch (job.resultType) {
    case "html":
      return <HtmlResult job={job} html={htmlOf(job.result)} />;
    case "image":
      return <ImageResult job={job} />;
    case "text":
      return typeof job.result === "string" ? (
        <pre className="code-block">{job.result}</pre>
      ) : (
        <JsonResult value={job.result} />
      );
    default:
      return <JsonResult value={job.result} />;
  }
}

function JsonResult({ value }: { value: unknown }) {
  return (
    <>
      <div className="section-tools">
        <CopyButton text={JSON.stringify(value, null, 2)} what="result JSON" className="button small">
          Copy JSON
        </CopyButton>
      </div>
      <JsonTree value={value} />
    </>
  );
}

/** The html.render result is `{ html }`; a type may also return the HTML string itself. */
function htmlOf(result: unknown): string {
  if (typeof result === "string") return result;
  const html = (result as { html?: unknown } | null)?.html;
  return typeof html === "string" ? html : "";
}

/**
 * Inside the frame: no scripts (sandbox=""), and no requests except images over https, so a
 * rendered document cannot call home or fetch anything from the network the viewer is on.
 */
const FRAME_POLICY =
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data: https:; style-src 'unsafe-inline'\">";

function HtmlResult({ job, html }: { job: Job; html: string }) {
  const [isSource, setIsSource] = useState(false);
  return (
    <>
      <div className="section-tools">
        <button
          type="button"
          className="button small"
          aria-pressed={isSource}
          onClick={() => setIsSource((v) => !v)}
        >
          {isSource ? "Show rendered" : "Show source"}
        </button>
        <CopyButton text={html} what="HTML" className="button small">
          Copy HTML
        </CopyButton>
      </div>
      {isSource ? (
        <pre className="code-block">{html}</pre>
      ) : (
        // sandbox="" : no scripts, no forms, no same-origin access, no top navigation.
        <iframe
          className="html-result"
          title={`HTML result of job ${job.id}`}
          sandbox=""
          srcDoc={FRAME_POLICY + html}
        />
      )}
    </>
  );
}

type ImageMeta = { width?: number; height?: number; format?: string; bytes?: number };

function ImageResult({ job }: { job: Job }) {
  const meta = (job.result ?? {}) as ImageMeta;
  const artifact = useArtifactUrl(job.id, job.status === "completed");
  const description = [
    meta.width && meta.height ? `${meta.width}×${meta.height}` : undefined,
    meta.format,
    meta.bytes === undefined ? undefined : `${meta.bytes.toLocaleString()} bytes`,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <figure className="image-result">
      {artifact.url ? (
        <img
          src={artifact.url}
          alt={`Image result of job ${job.id}${description ? ` (${description})` : ""}`}
        />
      ) : artifact.isError ? (
        <p role="alert">
          {isNotFound(artifact.error)
            ? "The image is not available: the server has no artifact for this job."
            : `The image could not be loaded: ${toProblem(artifact.error).message}`}
        </p>
      ) : (
        <p role="status" className="muted">
          Loading image…
        </p>
      )}
      <figcaption className="muted small">
        {description}
        {artifact.url && (
          <>
            {" · "}
            <a href={artifact.url} download={`${job.id}.${meta.format ?? "bin"}`}>
              Download
            </a>
          </>
        )}
      </figcaption>
    </figure>
  );
}
