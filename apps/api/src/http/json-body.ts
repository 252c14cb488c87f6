import { contract } from "@jobdeck/contract";
import express, { type RequestHandler } from "express";
import { AppError, validationFailed } from "../errors.js";

export const JSON_LIMIT_BYTES = 1024 * 1024;
export const JSON_MAX_DEPTH = 64;

const hasBody = (req: Parameters<RequestHandler>[0]) =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;

/** A request with a body must say it is JSON (415), before anything reads it. */
export const requireJsonContentType: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(["application/json", "application/*+json"])) {
    next(new AppError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"));
    return;
  }
  next();
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type JsonFinding = { isTooDeep: boolean; badTextPath: (string | number)[] | undefined };
type PathNode = { parent: PathNode | undefined; key: string | number } | undefined;

const pathOf = (node: PathNode): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let n = node; n; n = n.parent) path.unshift(n.key);
  return path;
};

/**
 * Whether a parsed JSON value nests deeper than `maxDepth`, and where its first text is that
 * PostgreSQL's jsonb cannot store: U+0000, or a lone surrogate (`"\ud800"` is valid JSON but not
 * Unicode). Both are refused on every database alike. Iterative and stopping at the first level too
 * deep, so hostile input costs linear time and no stack.
 */
export function inspectJson(value: unknown, maxDepth = JSON_MAX_DEPTH): JsonFinding {
  let badTextPath: (string | number)[] | undefined;
  const isBad = (text: string) => text.includes("\0") || LONE_SURROGATE.test(text);
  const stack: [unknown, number, PathNode][] = [[value, 1, undefined]];
  while (stack.length > 0) {
    const [current, level, path] = stack.pop()!;
    if (typeof current === "string") {
      if (!badTextPath && isBad(current)) badTextPath = pathOf(path);
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (level > maxDepth) return { isTooDeep: true, badTextPath };
    const isArray = Array.isArray(current);
    for (const [key, child] of Object.entries(current)) {
      if (!badTextPath && isBad(key)) badTextPath = pathOf(path);
      if (typeof child === "string" || (child !== null && typeof child === "object")) {
        stack.push([child, level + 1, { parent: path, key: isArray ? Number(key) : key }]);
      }
    }
  }
  return { isTooDeep: false, badTextPath };
}

/** `POST /v1/jobs/batch` (§12): up to 1,000 create bodies in one request. */
export const BATCH_JSON_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Routes whose bodies may be larger than JSON_LIMIT_BYTES, by method and path. A batch's items
 * nest two levels below the body (`jobs.N`), so each may nest as deep as a single create's body.
 */
const LARGER_BODIES: { method: string; path: string; limitBytes: number; maxDepth: number }[] = [
  {
    method: "POST",
    path: contract.jobs.createJobsBatch.path,
    limitBytes: BATCH_JSON_LIMIT_BYTES,
    maxDepth: JSON_MAX_DEPTH + 2,
  },
];

const jsonParser = (limit: number) =>
  express.json({ limit, strict: true, type: ["application/json", "application/*+json"] });

const largerBodyOf = (req: Parameters<RequestHandler>[0]) => {
  // Express matches routes in any letter case, with or without a trailing slash.
  const path = (req.baseUrl + req.path).replace(/\/$/, "").toLowerCase();
  return LARGER_BODIES.find((route) => route.method === req.method && route.path.toLowerCase() === path);
};

const parseJson: RequestHandler = (() => {
  const usual = jsonParser(JSON_LIMIT_BYTES);
  const larger = new Map(LARGER_BODIES.map((route) => [route, jsonParser(route.limitBytes)]));
  return (req, res, next) => {
    const route = largerBodyOf(req);
    (route ? larger.get(route)! : usual)(req, res, next);
  };
})();

/** Why a parsed body is refused before its route sees it: too deep, or text that cannot be stored. */
export function bodyRefusal(body: unknown, maxDepth = JSON_MAX_DEPTH): AppError | undefined {
  const { isTooDeep, badTextPath } = inspectJson(body, maxDepth);
  if (isTooDeep) {
    return new AppError("VALIDATION_FAILED", `body: JSON nested deeper than ${JSON_MAX_DEPTH} levels`, {
      details: [{ path: "body", message: `must not nest deeper than ${JSON_MAX_DEPTH} levels` }],
    });
  }
  if (badTextPath) {
    const path = badTextPath.length > 0 ? badTextPath.join(".") : "body";
    return validationFailed([{ path, message: "must be valid Unicode text without U+0000" }]);
  }
  return undefined;
}

const inspectBody: RequestHandler = (req, _res, next) => {
  next(bodyRefusal(req.body, largerBodyOf(req)?.maxDepth));
};

/**
 * 415 for non-JSON, 413 over 1 MiB (8 MiB for a batch; via the error handler), 400 for bad, too deep
 * or unstorable JSON.
 */
export const jsonBody: RequestHandler[] = [requireJsonContentType, parseJson, inspectBody];
