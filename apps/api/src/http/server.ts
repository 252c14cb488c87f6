import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Express } from "express";
import type { ErrorBody } from "@jobdeck/contract";

/** Node's default: requests whose headers exceed it never reach Express. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The HTTP server around the app, with the limits that protect it before Express runs: header size,
 * slow headers (slowloris) and slow bodies. Node answers such requests itself; `clientError` makes
 * those answers carry the error body of docs/api.md §3 too.
 */
export function createHttpServer(
  app: Express,
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
    const isTooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const isTimeout = error.code === "ERR_HTTP_REQUEST_TIMEOUT";
    const status = isTooLarge ? 431 : isTimeout ? 408 : 400;
    const reason = isTooLarge
      ? "Request Header Fields Too Large"
      : isTimeout
        ? "Request Timeout"
        : "Bad Request";
    const requestId = randomUUID();
    const body: ErrorBody = {
      success: false,
      error: {
        code: "VALIDATION_FAILED",
        message: isTooLarge
          ? `Request headers are larger than ${MAX_HEADER_BYTES / 1024} KiB`
          : isTimeout
            ? "The request took too long to arrive"
            : "The request is not valid HTTP",
      },
      requestId,
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
  return server;
}
