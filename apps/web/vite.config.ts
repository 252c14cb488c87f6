import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.JOBDECK_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    // Development: the API runs on its own port; these paths go to it.
    proxy: Object.fromEntries(
      ["/v1", "/openapi.json", "/docs", "/healthz", "/readyz"].map((p) => [p, apiTarget]),
    ),
  },
  // No source maps in the build: the API serves dist/ to anyone, and the maps (1.2 MB) would publish
  // the whole source. The dev server still gives developers maps of every module.
  build: { sourcemap: false },
});
