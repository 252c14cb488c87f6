import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

const ACCEPTABLE = /^[\x21-\x7e]{1,200}$/;

/** Echoes a sane `X-Request-Id` or makes one; logs and error bodies carry it (docs/api.md §3.4). */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.get("x-request-id");
  const id = given && ACCEPTABLE.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};

export const requestIdOf = (res: { locals: Record<string, unknown> }): string =>
  typeof res.locals.requestId === "string" ? res.locals.requestId : "";
