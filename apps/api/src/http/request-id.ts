import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

const ACCEPTABLE = /^[\x21-\x7e]{1,200}$/;

/** The id a request is known by: the client's `X-Request-Id` when it is sane, else a new one. */
export const requestIdFor = (given: string | undefined): string =>
  given && ACCEPTABLE.test(given) ? given : randomUUID();

/** Echoes a sane `X-Request-Id` or makes one; logs and error bodies carry it (docs/api.md §3.4). */
export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdFor(req.get("x-request-id"));
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};

export const requestIdOf = (res: { locals: Record<string, unknown> }): string =>
  typeof res.locals.requestId === "string" ? res.locals.requestId : "";
