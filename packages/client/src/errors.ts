import type { ErrorBody, ErrorCode, ErrorDetail } from "@jobdeck/contract";

/**
 * What went wrong: the API's own codes (§3) for every answer it gave, and three of the client's for
 * what happened without one: the request never got an answer (NETWORK_ERROR), `waitFor` ran out of
 * time (TIMEOUT), a webhook's signature did not verify (INVALID_SIGNATURE). UNEXPECTED_RESPONSE is
 * an error status whose body is not the API's (a proxy's page, say).
 */
export type JobdeckErrorCode =
  ErrorCode | "NETWORK_ERROR" | "TIMEOUT" | "INVALID_SIGNATURE" | "UNEXPECTED_RESPONSE";

export type JobdeckErrorInit = {
  /** The HTTP status; 0 when there was no answer. */
  status: number;
  code: JobdeckErrorCode;
  message: string;
  details?: ErrorDetail[];
  requestId?: string | undefined;
  /** The §3 body, when the server sent one. */
  body?: ErrorBody | undefined;
};

/** The code an error status stands for when the body does not say (it is not the API's). */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "VALIDATION_FAILED",
  401: "UNAUTHORIZED",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  408: "REQUEST_TIMEOUT",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
  431: "HEADERS_TOO_LARGE",
  500: "INTERNAL_ERROR",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "UNAVAILABLE",
};

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null) return false;
  const { success, error } = body as { success?: unknown; error?: { code?: unknown; message?: unknown } };
  return success === false && typeof error?.code === "string" && typeof error.message === "string";
}

/**
 * The one error the client throws. For an answer of the API it carries the §3 body's parts
 * (`status`, `code`, `message`, `details`, `requestId`, and the body itself); branch on `code`,
 * never on `message`.
 */
export class JobdeckError extends Error {
  override readonly name = "JobdeckError";
  readonly status: number;
  readonly code: JobdeckErrorCode;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;
  readonly body: ErrorBody | undefined;

  constructor(init: JobdeckErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.body = init.body;
  }

  /** The error an error answer stands for: its §3 body when it has one, else one made from the status. */
  static fromResponse(status: number, body: unknown, headers: Headers, what: string): JobdeckError {
    const requestId = headers.get("x-request-id") ?? undefined;
    if (isErrorBody(body)) {
      return new JobdeckError({
        status,
        code: body.error.code,
        message: body.error.message,
        details: body.error.details ?? [],
        requestId: body.requestId,
        body,
      });
    }
    return new JobdeckError({
      status,
      code: CODE_BY_STATUS[status] ?? "UNEXPECTED_RESPONSE",
      message: `${what} answered HTTP ${status} without an API error body`,
      requestId,
    });
  }
}

export const isJobdeckError = (error: unknown, code?: JobdeckErrorCode): error is JobdeckError =>
  error instanceof JobdeckError && (code === undefined || error.code === code);
