// `npm test`: every suite, in an order that fails fast. Builds first (turbo caches unchanged
// packages), then typechecks and lints, then runs each workspace's tests one workspace at a time so
// the suites that start servers and browsers do not fight over this machine's two cores.
import { spawnSync } from "node:child_process";

const steps = [
  { name: "build", command: "turbo", args: ["run", "build", "--output-logs=errors-only"] },
  {
    name: "typecheck + lint",
    command: "turbo",
    args: ["run", "typecheck", "lint", "--output-logs=errors-only"],
  },
  {
    name: "tests",
    command: "turbo",
    args: ["run", "test", "--concurrency=1", "--output-logs=full", ...process.argv.slice(2)],
  },
];

for (const { name, command, args } of steps) {
  const started = Date.now();
  console.log(`\n== ${name}: ${command} ${args.join(" ")}`);
  const { status } = spawnSync("npx", ["--no-install", command, ...args], {
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
  console.log(
    `== ${name}: ${status === 0 ? "passed" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (status !== 0) process.exit(status ?? 1);
}
