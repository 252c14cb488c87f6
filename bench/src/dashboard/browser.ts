import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium: Playwright's own download is unreachable from these machines. */
export const CHROMIUM = "/usr/bin/chromium";

/** The viewport every dashboard figure is measured at (the e2e tests' too). */
export const VIEWPORT = { width: 1280, height: 800 };

// Without the networking flags Chromium keeps trying to reach hosts it cannot, which costs CPU
// the frames are measured with; as root it needs --no-sandbox (docs: /work/shared/notes/stack.md).
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const chromiumMissing = (): string | undefined =>
  existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is missing (node e2e/ensure-chromium.mjs installs Debian's chromium)`;

/**
 * Headless Chromium. Playwright gives it a new, empty --user-data-dir of its own and removes it on
 * close; each context the caller opens starts with an empty cache, as a first visit does.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
