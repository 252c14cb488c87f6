import type { commonErrorResponses, ErrorBody, ErrorCode } from "@jobdeck/contract";
import type { AppRoute } from "@ts-rest/core";
import type { ContentObject, HeaderObject, ReferenceObject } from "openapi3-ts";

/** The shape of a route's words in the OpenAPI document (operations.ts, webhook-operations.ts). */

type CommonStatus = keyof typeof commonErrorResponses;

export type AnswerWords = {
  description: string;
  /** For an error answer: the example's code, message and details. */
  error?: { code: ErrorCode; message: string; details?: ErrorBody["error"]["details"] };
  /** Replaces what ts-rest writes, for bodies it cannot model (bytes of any type). */
  content?: ContentObject;
  headers?: Record<string, HeaderObject | ReferenceObject>;
};

export type OperationWords<R extends AppRoute> = {
  description?: string;
  /** The request body's description, for routes that take one. */
  body?: string;
  /** The body may be left out (a retry without changes): the document does not call it required. */
  isBodyOptional?: boolean;
  responses: { [S in Exclude<keyof R["responses"], CommonStatus>]: AnswerWords };
};
