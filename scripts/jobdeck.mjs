// `npm run -s jobdeck -- <command>`: the jobdeck CLI from this repository, built first (turbo
// caches it, so only the first run after a change waits), quietly unless the build fails.
import { spawnSync } from "node:child_process";

const build = spawnSync(
  "npx",
  ["--no-install", "turbo", "run", "build", "--filter=@jobdeck/cli", "--output-logs=errors-only"],
  { encoding: "utf8", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" } },
);
if (build.status !== 0) {
  process.stderr.write(
    `${build.stdout}${build.stderr}\njobdeck: the build failed (above); fix it, or run npm run build\n`,
  );
  process.exit(2);
}
await import("../packages/cli/dist/main.js");
