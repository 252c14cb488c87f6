import type { ErrorBody, ErrorDetail } from "@jobdeck/contract";

/** What the UI shows about a failed request, whatever failed: the network, or the API with its error body. */
export type Problem = {
  /** One sentence for a person. */
  message: string;
  status: number | undefined;
  code: string | undefined;
  details: ErrorDetail[];
  requestId: string | undefined;
};

function isErrorBody(body: unknown): body is ErrorBody {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { success?: unknown }).success === false &&
    typeof (body as { error?: { message?: unknown } }).error?.message === "string"
  );
}

/** The HTTP status of a failed request; undefined when no answer came (the network failed). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

export const isNotFound = (error: unknown) => statusOf(error) === 404;

/** ts-rest's hooks throw the response itself for a non-2xx status, and an Error when fetch fails. */
export function toProblem(error: unknown): Problem {
  if (typeof error === "object" && error !== null && "status" in error && "body" in error) {
    const { status, body } = error as { status: number; body: unknown };
    if (isErrorBody(body)) {
      return {
        message: body.error.message,
        status,
        code: body.error.code,
        details: body.error.details ?? [],
        requestId: body.requestId,
      };
    }
    return {
      message: `The server answered ${status}.`,
      status,
      code: undefined,
      details: [],
      requestId: undefined,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    message: `The server could not be reached (${text}).`,
    status: undefined,
    code: undefined,
    details: [],
    requestId: undefined,
  };
}
