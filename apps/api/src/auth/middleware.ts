import type { RequestHandler, Response } from "express";
import type { TokenKeys } from "./keys.js";
import { authenticate } from "./tokens.js";

/**
 * Reads the bearer token without answering yet: a failure is kept in `res.locals.authError`, so
 * the per-address rate limit can count failed attempts before the 401 goes out.
 */
export function identifyUser(keys: TokenKeys): RequestHandler {
  return (req, res, next) => {
    try {
      res.locals.userId = authenticate(req.get("authorization"), keys);
    } catch (error) {
      res.locals.authError = error;
    }
    next();
  };
}

/** Ends unauthenticated requests with their 401. */
export const requireUser: RequestHandler = (_req, res, next) => {
  next(res.locals.userId === undefined ? res.locals.authError : undefined);
};

export const isAuthenticated = (res: Response): boolean => typeof res.locals.userId === "string";

/** An Express response, or the lean path's plain one (http/create-lane.ts), which carries the same `locals`. */
export type WithLocals = { locals: Record<string, unknown> };

export function userIdOf(res: WithLocals): string {
  const userId: unknown = res.locals.userId;
  if (typeof userId !== "string") throw new Error("route reached without authentication");
  return userId;
}
