import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ itself, whether this runs from src/ (tests, tsx) or from dist/src/ (npm run bench). */
const here = dirname(fileURLToPath(import.meta.url));
export const benchRoot = here.includes(`${"/dist/"}`) ? resolve(here, "../..") : resolve(here, "..");
export const repoRoot = resolve(benchRoot, "..");
export const resultsDir = join(benchRoot, "results");
export const chartsDir = join(resultsDir, "charts");
/** Seeded databases, profiles and other working files: ignored by git. */
export const workDir = join(resultsDir, "tmp");
/** Compiled bench code: the baselines and load generators run from here as plain node. */
export const benchDist = join(benchRoot, "dist");
export const apiDist = join(repoRoot, "apps/api/dist/src");
export const jobdeckMain = join(apiDist, "main.js");
