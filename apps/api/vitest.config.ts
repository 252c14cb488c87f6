import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Run by vitest.faults.config.ts, alone, after this suite.
    exclude: ["test/faults/**", "**/node_modules/**"],
    // Every suite starts real servers on real databases: give them room, but keep files parallel
    // across this machine's two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
