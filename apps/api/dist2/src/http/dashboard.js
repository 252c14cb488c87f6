import { existsSync } from "node:fs";
import { join } from "node:path";
import express, {} from "express";
import { sendPrecompressed } from "./precompressed.js";
/** Hashed file names: a new build has new names, so a copy never needs to be checked again. */
const ASSET_CACHING = { immutable: true, maxAge: "1y" };
/**
 * The dashboard's built files at `/`, and its index for any other page path (client-side routes such
 * as /jobs/<id>), so a shared link opens the right view. Hashed assets are cached for a year. The
 * index and the assets go out as the build's brotli or gzip copies when the client accepts one;
 * anything else is compressed on the fly (see compression.ts).
 */
export function dashboardRouter(distDir) {
    const router = express.Router();
    const index = join(distDir, "index.html");
    const assetsDir = join(distDir, "assets");
    router.use("/assets", (req, res, next) => {
        if (req.method !== "GET" && req.method !== "HEAD") {
            next();
            return;
        }
        let path;
        try {
            path = decodeURIComponent(req.path).replace(/^\/+/, "");
        }
        catch {
            next();
            return;
        }
        sendPrecompressed(req, res, { root: assetsDir, path, options: ASSET_CACHING }, next);
    }, express.static(assetsDir, { ...ASSET_CACHING, index: false }));
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
        sendPrecompressed(req, res, { root: distDir, path: "index.html" }, () => res.sendFile(index));
    });
    return router;
}
//# sourceMappingURL=dashboard.js.map