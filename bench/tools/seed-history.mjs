// Seeds bench/results/history.json with every figure the results files have ever held in git:
// each committed version of bench/results/{full,quick}.json, each target record in it once. Those
// records carry no commit, so each gets the newest commit authored before it was measured, marked
// as inferred. Run once after building the bench: node bench/tools/seed-history.mjs
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { appendHistory, historyEntryOf } = await import(join(repo, "bench/dist/src/history.js"));

const git = (...args) => {
  const run = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
};

// Newest first, with author dates: a rebase keeps those, and they say when the code was written.
const commits = git("log", "--format=%h %aI")
  .trim()
  .split("\n")
  .map((line) => {
    const [hash, date] = line.split(" ");
    return { hash, at: Date.parse(date) };
  });
const commitBefore = (iso) => commits.find((c) => c.at <= Date.parse(iso))?.hash ?? "unknown";

const records = new Map();
for (const mode of ["full", "quick"]) {
  const file = `bench/results/${mode}.json`;
  for (const hash of git("log", "--format=%H", "--", file).trim().split("\n").filter(Boolean)) {
    let results;
    try {
      results = JSON.parse(git("show", `${hash}:${file}`));
    } catch {
      continue;
    }
    for (const target of results.targets ?? []) {
      if (!target.measuredAt || !(target.measurements?.length > 0)) continue;
      records.set(`${mode} ${target.id} ${target.measuredAt}`, { mode, target });
    }
  }
}
const entries = [...records.values()].map(({ mode, target }) =>
  historyEntryOf(mode, target, { hash: commitBefore(target.measuredAt), isInferred: true }),
);
const history = appendHistory(join(repo, "bench/results"), entries);
console.log(`${entries.length} figures from git; history.json holds ${history.entries.length}`);
