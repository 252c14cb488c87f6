import express, { type Router } from "express";
import type { Database } from "../db/index.js";
import { AppError } from "../errors.js";

/** /healthz: the process answers. /readyz: the database answers too (503 when it does not). */
export function healthRouter(db: Pick<Database, "read" | "provider">): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.json({ success: true, status: "ok" });
  });
  router.get("/readyz", (_req, res, next) => {
    db.read.all("SELECT 1").then(
      () => res.json({ success: true, status: "ready", database: db.provider }),
      (error: unknown) =>
        next(
          new AppError("UNAVAILABLE", "The database cannot be reached", {
            cause: error,
            headers: { "Retry-After": "1" },
          }),
        ),
    );
  });
  return router;
}
