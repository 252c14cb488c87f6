import express, {} from "express";
import { AppError } from "../errors.js";
/** /healthz: the process answers. /readyz: the database answers too (503 when it does not). */
export function healthRouter(db) {
    const router = express.Router();
    router.get("/healthz", (_req, res) => {
        res.json({ success: true, status: "ok" });
    });
    router.get("/readyz", (_req, res, next) => {
        db.read.all("SELECT 1").then(() => res.json({ success: true, status: "ready", database: db.provider }), (error) => next(new AppError("UNAVAILABLE", "The database cannot be reached", {
            cause: error,
            headers: { "Retry-After": "1" },
        })));
    });
    return router;
}
//# sourceMappingURL=health.js.map