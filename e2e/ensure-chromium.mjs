// The browser tests drive Debian's Chromium (Playwright's own download is unreachable from these
// machines). Installs it with apt-get when /usr/bin/chromium is missing; CI runs as root.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";

if (!existsSync(CHROMIUM)) {
  const isRoot = process.getuid?.() === 0;
  console.log(`${CHROMIUM} is missing: installing Debian's chromium package with apt-get…`);
  for (const args of [["update"], ["install", "-y", "chromium"]]) {
    const [command, argv] = isRoot ? ["apt-get", args] : ["sudo", ["-n", "apt-get", ...args]];
    const { status } = spawnSync(command, argv, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (status !== 0) {
      console.error(
        `ensure-chromium: \`${command} ${argv.join(" ")}\` failed; install chromium and run again.`,
      );
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`ensure-chromium: the chromium package did not install ${CHROMIUM}.`);
    process.exit(1);
  }
}
