import type { FailureGroup } from "@jobdeck/contract";
import { Link } from "../../components/link";
import { ProblemPanel } from "../../components/problem-panel";
import { RelativeTime } from "../../components/relative-time";
import { toProblem } from "../../lib/api-errors";
import { paths } from "../../lib/router";
import { BulkActions } from "../bulk-operations/bulk-actions";
import { listOf } from "../jobs/list-state";
import { useFailureGroups } from "./use-housekeeping";

/** A failed job without an error code is grouped under null; the list cannot filter for "no code". */
const codeOf = (group: FailureGroup) => group.errorCode ?? "(no code)";

/** The list's link for a group's jobs: failed, of its type, with its code when it has one. */
const groupList = (group: FailureGroup) =>
  paths.list(
    listOf({
      statuses: ["failed"],
      types: [group.type],
      errorCodes: group.errorCode === null ? [] : [group.errorCode],
    }),
  );

/**
 * Failed jobs grouped by type and error code, largest group first: what broke, how often, when
 * last; each group's jobs in the list, and "Retry this group" as one bulk retry of exactly them.
 */
export function FailuresPage() {
  const groups = useFailureGroups();
  return (
    <div className="failures-page">
      <div className="page-heading">
        <h1>Failures</h1>
        <Link to={paths.retention()}>Retention settings</Link>
      </div>
      {groups.isPending ? (
        <p role="status">Loading…</p>
      ) : groups.isError ? (
        <ProblemPanel
          title="The failures could not be loaded"
          problem={toProblem(groups.error)}
          onRetry={() => void groups.refetch()}
        />
      ) : groups.data.length === 0 ? (
        <div className="panel empty">
          <h2>No failed jobs</h2>
          <p className="muted">
            Jobs that fail after their last attempt are grouped here by type and error code.
          </p>
        </div>
      ) : (
        <table className="failures-table">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Error code</th>
              <th scope="col">Failed jobs</th>
              <th scope="col">Latest</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.data.map((group) => (
              <tr key={`${group.type}\u0000${group.errorCode ?? ""}`}>
                <td>
                  <code>{group.type}</code>
                </td>
                <td>
                  <code>{codeOf(group)}</code>
                </td>
                <td>
                  <Link to={groupList(group)}>{group.count.toLocaleString()}</Link>
                </td>
                <td>{group.latestAt ? <RelativeTime iso={group.latestAt} /> : "—"}</td>
                <td>
                  {group.errorCode !== null && (
                    <BulkActions
                      filter={{ status: "failed", type: group.type, errorCode: group.errorCode }}
                      actions={["retry"]}
                      selectLabel="Retry this group…"
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
