import { EXPORT_FORMATS, type ExportFormat } from "@jobdeck/contract";
import { useEffect, useRef, useState } from "react";
import { toProblem, type Problem } from "../../lib/api-errors";
import { formatBytes } from "../../lib/format";
// Type only: the code that streams and saves the file is fetched when an export starts, not with the list.
import type { ExportProgress } from "../../lib/export-jobs";
import type { JobListQuery } from "../../lib/query-keys";

const FORMAT_LABELS: Record<ExportFormat, string> = { ndjson: "NDJSON", csv: "CSV" };

type ExportState =
  | { name: "idle" }
  | { name: "running"; progress: ExportProgress }
  | { name: "saved"; fileName: string; progress: ExportProgress }
  | { name: "cancelled" }
  | { name: "failed"; problem: Problem };

const describeProgress = ({ rows, bytes }: ExportProgress) =>
  `${rows.toLocaleString()} ${rows === 1 ? "job" : "jobs"} · ${formatBytes(bytes)}`;

/**
 * Every job of the current view (its filters and sort, no page limit) as one NDJSON or CSV file,
 * with the rows received so far while it streams, and a way to stop it.
 */
export function ExportJobs({ query }: { query: JobListQuery }) {
  const [format, setFormat] = useState<ExportFormat>("ndjson");
  const [state, setState] = useState<ExportState>({ name: "idle" });
  const controllerRef = useRef<AbortController>();

  // Leaving the page stops a download in progress.
  useEffect(() => () => controllerRef.current?.abort(), []);

  const start = async () => {
    const controller = new AbortController();
    controllerRef.current = controller;
    setState({ name: "running", progress: { bytes: 0, rows: 0 } });
    try {
      const { exportFileName, fetchExport, saveBlob } = await import("../../lib/export-jobs");
      const { blob, ...progress } = await fetchExport({
        query,
        format,
        signal: controller.signal,
        onProgress: (next) => {
          if (!controller.signal.aborted) setState({ name: "running", progress: next });
        },
      });
      if (controller.signal.aborted) return;
      const fileName = exportFileName(format, new Date());
      saveBlob(blob, fileName);
      setState({ name: "saved", fileName, progress });
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ name: "failed", problem: toProblem(error) });
    } finally {
      if (controllerRef.current === controller) controllerRef.current = undefined;
    }
  };

  const cancel = () => {
    controllerRef.current?.abort();
    setState({ name: "cancelled" });
  };

  return (
    <div className="export-jobs" role="group" aria-label="Export">
      {state.name === "running" ? (
        <>
          <span role="status">Exporting… {describeProgress(state.progress)}</span>
          <button type="button" className="button small" onClick={cancel}>
            Cancel export
          </button>
        </>
      ) : (
        <>
          <label>
            <span className="visually-hidden">Export format</span>
            <select value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
              {EXPORT_FORMATS.map((one) => (
                <option key={one} value={one}>
                  {FORMAT_LABELS[one]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button small"
            title="Every job of this view, with its filters and sort"
            onClick={() => void start()}
          >
            Export
          </button>
          {state.name === "saved" && (
            <span role="status" className="muted">
              Saved {state.fileName} ({describeProgress(state.progress)})
            </span>
          )}
          {state.name === "cancelled" && (
            <span role="status" className="muted">
              Export cancelled
            </span>
          )}
          {state.name === "failed" && (
            <span role="alert" className="problem-text">
              Export failed: {state.problem.message}
            </span>
          )}
        </>
      )}
    </div>
  );
}
