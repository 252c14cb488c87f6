import { defineConfig } from "vitest/config";

/**
 * The fault suites: load with a killed worker, and a PostgreSQL restart. They run alone, one file at
 * a time, after the main suite: they stop the shared PostgreSQL server and load both cores.
 */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
