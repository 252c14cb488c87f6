import type { RequestHandler, Response } from "express";
import type { TokenKeys } from "./keys.js";
import { authenticate } from "./tokens.js";

/** Every /v1 route: the token's `sub` becomes `res.locals.userId`, or the request ends in a 401. */
export function requireUser(keys: TokenKeys): RequestHandler {
  return (req, res, next) => {
    try {
      res.locals.userId = authenticate(req.get("authorization"), keys);
      next();
    } catch (error) {
      next(error);
    }
  };
}

export function userIdOf(res: Response): string {
  const userId: unknown = res.locals.userId;
  if (typeof userId !== "string") throw new Error("route reached without authentication");
  return userId;
}
