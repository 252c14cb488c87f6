import type { FailureGroup } from "@jobdeck/contract";
import type { JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { timeText } from "../format.js";
import { jobFilterArgs, jobFilterQuery, shellWord, type JobFilterFlags } from "../job-filters.js";

/** What a group's own filter sets, in place of the ones given. */
const GROUP_FILTERS = new Set(["status", "type", "errorCode"]);

/**
 * The bulk retry of exactly one group: its type and code with the other filters given, so that it
 * selects the jobs counted. None for a group without a code: the filter language cannot select "no
 * code", and the type alone would retry the other groups too (as the dashboard's Failures page).
 */
export function retryCommandOf(group: FailureGroup, filters: Record<string, string>): string | undefined {
  if (group.errorCode === null) return undefined;
  const others = Object.fromEntries(Object.entries(filters).filter(([name]) => !GROUP_FILTERS.has(name)));
  const args = [
    "bulk",
    "retry",
    "--status",
    "failed",
    "--type",
    group.type,
    "--error-code",
    group.errorCode,
    ...jobFilterArgs(others),
  ];
  return ["jobdeck", ...args.map(shellWord)].join(" ");
}

/** GET /v1/jobs/failure-groups: failed jobs by type and error code, largest group first. */
export async function showFailureGroups(context: Context, flags: JobFilterFlags & JsonFlags): Promise<void> {
  const { out } = context;
  const filters = jobFilterQuery(flags);
  const groups = (await context.client().jobs.listFailureGroups({ query: filters })).body.data;
  if (flags.json) return out.json(groups);
  if (groups.length === 0 && out.isTTY) return out.note("No failed jobs match.");
  out.table(
    ["TYPE", "ERROR CODE", "JOBS", "LATEST", "RETRY THEM WITH"],
    groups.map((group) => [
      group.type,
      group.errorCode ?? "-",
      String(group.count),
      timeText(group.latestAt, out.isTTY),
      retryCommandOf(group, filters) ?? "- (no code: retry by id)",
    ]),
  );
}
