import { spawnSync } from "node:child_process";

/** The commit a figure was measured at, and whether the measured code differed from it. */
export type CommitStamp = {
  hash: string;
  /** Tracked files other than the bench's own outputs differed from the commit; absent when unknown. */
  isDirty?: boolean;
  /** Recorded after the fact: the newest commit before the measurement (history seeded from old results). */
  isInferred?: boolean;
};

/**
 * What does not change the code under measurement: the results and the report the bench writes
 * itself (a run after an uncommitted run would otherwise always read as dirty) and the hand-written analysis.
 */
const OUTPUTS = [
  ":(top,exclude)bench/results",
  ":(top,exclude)BENCHMARKS.md",
  ":(top,exclude)bench/ANALYSIS.md",
];

function git(dir: string, args: string[]): string | undefined {
  const run = spawnSync("git", ["-C", dir, ...args], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** HEAD's short hash in `dir` and whether its tracked files differ from it; "unknown" outside git. */
export function commitOf(dir: string): CommitStamp {
  const hash = git(dir, ["rev-parse", "--short=7", "HEAD"]);
  if (!hash) return { hash: "unknown" };
  const status = git(dir, ["status", "--porcelain", "--untracked-files=no", "--", ":(top)", ...OUTPUTS]);
  return status === undefined ? { hash } : { hash, isDirty: status.length > 0 };
}

export const stampText = (commit: CommitStamp | undefined): string =>
  !commit
    ? "unknown"
    : `${commit.hash}${commit.isDirty ? " (dirty)" : ""}${commit.isInferred ? " (inferred)" : ""}`;
