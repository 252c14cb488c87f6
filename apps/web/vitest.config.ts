import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    setupFiles: ["test/setup.ts"],
    // One fork is enough for a few dozen component tests and leaves the second core to the others.
    pool: "threads",
    maxWorkers: 1,
  },
});
