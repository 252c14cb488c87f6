// `npm run bench`: builds what it measures (turbo caches unchanged packages), then runs the harness
// from bench/dist as plain node. Arguments after `--` go to the harness (`--quick`, `--only R1` …).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
if (!args.includes("--report-only") && !args.includes("--help")) {
  const build = spawnSync("npx", ["--no-install", "turbo", "run", "build", "--output-logs=errors-only"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // R7, R7′, R8 and R9's heap drive Debian's Chromium: installed here when missing, as npm test
  // does, so that a run on a fresh machine measures every target (--only without them skips this).
  const only = args.find((arg, i) => args[i - 1] === "--only" || arg.startsWith("--only="));
  const ids = only
    ?.replace(/^--only=/, "")
    .toUpperCase()
    .split(",");
  if (!ids || ids.some((id) => ["R7", "R7′", "R8", "R9"].includes(id.trim()))) {
    const chromium = spawnSync(process.execPath, [join(root, "e2e/ensure-chromium.mjs")], {
      cwd: root,
      stdio: "inherit",
    });
    if (chromium.status !== 0) process.exit(chromium.status ?? 1);
  }
}
const run = spawnSync(process.execPath, [join(root, "bench/dist/src/cli.js"), ...args], {
  cwd: root,
  stdio: "inherit",
});
process.exit(run.status ?? 1);
