import { IncomingMessage, ServerResponse } from "node:http";
import { contract, type CreateJobBody } from "@jobdeck/contract";
import { validateResponse } from "@ts-rest/core";
import etag from "etag";
import type { Express, RequestHandler } from "express";
import vary from "vary";
import { authenticate } from "../auth/tokens.js";
import type { TokenKeys } from "../auth/keys.js";
import { COMPRESSION_THRESHOLD_BYTES } from "./compression.js";
import { bodyRefusal, JSON_LIMIT_BYTES } from "./json-body.js";
import type { UserCount } from "./rate-limit.js";
import { requestIdFor } from "./request-id.js";
import { requestRefused } from "./validation.js";

const route = contract.jobs.createJob;

/**
 * The requests `POST /v1/jobs` takes on its lean path: exactly that path, a JSON body in UTF-8 of
 * known length within the limit, and nothing the lean path leaves to the app: no `Origin` (CORS),
 * no `Content-Encoding`. Anything else, `/v1/jobs/` or a chunked body included, goes through
 * Express as before.
 */
export function takesLane(req: IncomingMessage): boolean {
  if (req.method !== "POST" || req.url !== "/v1/jobs") return false;
  const { headers } = req;
  if (headers.origin !== undefined || headers["transfer-encoding"] !== undefined) return false;
  if (headers["content-encoding"] !== undefined) return false;
  const type = headers["content-type"]?.toLowerCase();
  if (type !== "application/json" && type !== "application/json; charset=utf-8") return false;
  const length = Number(headers["content-length"]);
  return Number.isInteger(length) && length > 0 && length <= JSON_LIMIT_BYTES;
}

/** An error as body-parser shapes it, so that the error handler answers it as it answers body-parser's. */
const bodyError = (type: string, message: string) => Object.assign(new Error(message), { type, status: 400 });

/**
 * What `express.json({ strict: true })` makes of a body `takesLane` accepted: the text decoded with a
 * leading byte order mark dropped (as iconv-lite does), an object or an array required.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("aborted", () => reject(bodyError("request.aborted", "request aborted")));
    req.once("error", reject);
    req.once("end", () => {
      const text = Buffer.concat(chunks)
        .toString("utf8")
        .replace(/^\uFEFF/, "");
      const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
      if (first !== "{" && first !== "[") {
        reject(bodyError("entity.parse.failed", "body is not a JSON object or array"));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(bodyError("entity.parse.failed", String(error)));
      }
    });
  });
}

/** Helmet's and CORS's headers for a request without `Origin`: the same for every such request. */
export function recordHeaders(middleware: RequestHandler[]): [string, string][] {
  const req = Object.assign(new IncomingMessage(null as never), {
    method: "POST",
    url: route.path,
    headers: {},
  });
  const res = new ServerResponse(req);
  for (const handler of middleware) {
    let isPassed = false;
    handler(req as never, res as never, () => (isPassed = true));
    if (!isPassed) throw new Error("a header middleware did not pass a plain request on");
  }
  // Node keeps each name as it was set (getRawHeaderNames, Node 15.13 on; not in @types/node 20).
  const names = (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();
  return names.map((name) => [name, String(res.getHeader(name))]);
}

export type LaneDeps = {
  keys: TokenKeys;
  /** The app's request id, metrics and log middleware, which work on plain requests. */
  observe: RequestHandler[];
  /** recordHeaders of helmet and CORS. */
  fixedHeaders: [string, string][];
  countUser: (userId: string) => Promise<UserCount>;
  /** The route's answer to a request the contract accepted (jobs/router.ts answerCreateJob). */
  answer: (
    res: ServerResponse & { locals: Record<string, unknown> },
    idempotencyKey: string | undefined,
    body: CreateJobBody,
  ) => Promise<{ status: number; body: unknown }>;
  /** The app's compression middleware, for an answer at or over its threshold. */
  compress: RequestHandler;
  isResponseValidated: boolean;
  /** The app the lean path hands over to: every request it does not take, and every error. */
  app: Express;
  handleErrors: (
    error: unknown,
    req: Parameters<RequestHandler>[0],
    res: Parameters<RequestHandler>[1],
  ) => void;
};

/** The lean path, and how many requests it has taken since it was made (tests, to see it used). */
export type Lane = ((req: IncomingMessage, res: ServerResponse) => void) & { taken: () => number };

type PlainRequest = IncomingMessage & { originalUrl?: string; tsRestRoute?: unknown };
type PlainResponse = ServerResponse & { locals: Record<string, unknown> };

/**
 * POST /v1/jobs without Express (R4: a create spent about half its CPU in the framework): the same
 * token check, rate limit, body checks, contract, route and error handler, the same headers and the
 * same bytes, held equal to the Express route by create-lane.test.ts. A request that fails its token
 * check goes to the app untouched (it counts against its address there), as does anything
 * `takesLane` refuses; an error once the lean path has begun is answered by the app's error handler,
 * on the request turned into Express's as Express would have.
 */
export function createJobLane(deps: LaneDeps): Lane {
  const noop = () => undefined;
  let taken = 0;
  const fail = (error: unknown, req: PlainRequest, res: PlainResponse) => {
    // What express's own init does to each request and response.
    Object.setPrototypeOf(req, deps.app.request);
    Object.setPrototypeOf(res, deps.app.response);
    Object.assign(req, { res, next: noop, baseUrl: "" });
    Object.assign(res, { req });
    // The answer goes through compression as the app's would (its Vary, a large error compressed).
    deps.compress(req as never, res as never, () => deps.handleErrors(error, req as never, res as never));
  };

  const send = (req: PlainRequest, res: PlainResponse, status: number, body: unknown) => {
    const buffer = Buffer.from(JSON.stringify(body));
    res.statusCode = status;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Content-Length", String(buffer.length));
    res.setHeader("ETag", etag(buffer, { weak: true }));
    if (buffer.length >= COMPRESSION_THRESHOLD_BYTES) {
      deps.compress(req as never, res as never, () => res.end(buffer));
      return;
    }
    // What the compression middleware does to an answer under its threshold.
    vary(res, "Accept-Encoding");
    res.end(buffer);
  };

  const run = async (req: PlainRequest, res: PlainResponse, userId: string) => {
    const { headers, refusal } = await deps.countUser(userId);
    for (const [name, value] of headers) res.setHeader(name, value);
    if (refusal) throw refusal;
    const body = await readJsonBody(req);
    const refused = bodyRefusal(body);
    if (refused) throw refused;
    // Where ts-rest names the route (metrics' `route` label): a 429 or a refused body before it
    // is "unmatched" on both paths.
    req.tsRestRoute = route;
    // As ts-rest checks them: the headers and the body together, the headers' refusals first.
    const parsedHeaders =
      req.headers["idempotency-key"] === undefined ? undefined : route.headers.safeParse(req.headers);
    const parsed = route.body.safeParse(body);
    if (parsedHeaders?.success === false || !parsed.success) {
      throw requestRefused({ headers: parsedHeaders?.error, body: parsed.error });
    }
    const answer = await deps.answer(res, parsedHeaders?.data["idempotency-key"], parsed.data);
    const sent = deps.isResponseValidated
      ? validateResponse({ appRoute: route, response: answer }).body
      : answer.body;
    send(req, res, answer.status, sent);
  };

  const lane = (plainReq: IncomingMessage, plainRes: ServerResponse) => {
    const req = plainReq as PlainRequest;
    const res = plainRes as PlainResponse;
    let userId: string;
    try {
      userId = authenticate(req.headers.authorization, deps.keys);
    } catch {
      deps.app(req as never, res as never);
      return;
    }
    const given = req.headers["x-request-id"];
    const requestId = requestIdFor(typeof given === "string" ? given : undefined);
    req.originalUrl = req.url;
    res.locals = { requestId, userId };
    res.setHeader("X-Request-Id", requestId);
    for (const handler of deps.observe) handler(req as never, res as never, noop);
    for (const [name, value] of deps.fixedHeaders) res.setHeader(name, value);
    taken += 1;
    run(req, res, userId).catch((error: unknown) => fail(error, req, res));
  };
  return Object.assign(lane, { taken: () => taken });
}
