import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Router } from "express";

/**
 * The dashboard's built files at `/`, and its index for any other page path (client-side routes such
 * as /jobs/<id>), so a shared link opens the right view. Hashed assets are cached for a year.
 */
export function dashboardRouter(distDir: string): Router {
  const router = express.Router();
  const index = join(distDir, "index.html");
  router.use(
    "/assets",
    express.static(join(distDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  router.use(express.static(distDir, { index: false }));
  router.get(/^\/(?!v1\/|v1$|docs|openapi\.json|healthz|readyz|metrics).*/, (req, res, next) => {
    if (!existsSync(index)) {
      next();
      return;
    }
    if (!req.accepts("html")) {
      next();
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return router;
}
