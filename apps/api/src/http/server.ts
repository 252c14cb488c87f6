import { randomUUID } from "node:crypto";
import { createServer, STATUS_CODES, type Server } from "node:http";
import type { ErrorBody, ErrorCode } from "@jobdeck/contract";
import type { App } from "../app.js";
import { STATUS_BY_CODE } from "../errors.js";

/** Node's default: requests whose headers exceed it never reach Express. */
export const MAX_HEADER_BYTES = 16 * 1024;

type ClientError = { code: ErrorCode; message: string };

/** What Node's parser and timers report, as the spec's codes (§3); anything else is bad HTTP. */
const CLIENT_ERRORS: Record<string, ClientError> = {
  HPE_HEADER_OVERFLOW: {
    code: "HEADERS_TOO_LARGE",
    message: `Request headers are larger than ${MAX_HEADER_BYTES / 1024} KiB`,
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: "REQUEST_TIMEOUT", message: "The request took too long to arrive" },
};
const NOT_HTTP: ClientError = { code: "VALIDATION_FAILED", message: "The request is not valid HTTP" };

/**
 * The HTTP server around the app, with the limits that protect it before Express runs: header size,
 * slow headers (slowloris) and slow bodies. Node answers such requests itself; `clientError` makes
 * those answers carry the error body of docs/api.md §3 too.
 */
export function createHttpServer(
  app: App,
  {
    headersTimeoutMs = 15_000,
    requestTimeoutMs = 60_000,
  }: { headersTimeoutMs?: number; requestTimeoutMs?: number } = {},
): Server {
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above on this interval (30 s by default, which would let a
      // slow client hold a socket up to that much longer).
      connectionsCheckingInterval: Math.min(2_000, headersTimeoutMs),
    },
    app,
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { code, message } = CLIENT_ERRORS[error.code ?? ""] ?? NOT_HTTP;
    const status = STATUS_BY_CODE[code];
    const requestId = randomUUID();
    const body: ErrorBody = { success: false, error: { code, message }, requestId };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
  return server;
}
