import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { until } from "./wait.js";

/** One request the receiver got, as it got it. */
export type Received = {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The body parsed as JSON. */
  json: { type: string; timestamp: string; data: Record<string, unknown> };
};

/** What the receiver answers a request: a status, or `hang` (no answer until it closes). */
export type Answer = number | "hang";

export type WebhookReceiver = {
  /** http://127.0.0.1:<port> */
  url: string;
  received: Received[];
  /** Decides each answer (200 unless set); called after the request is recorded. */
  answer: (request: Received, index: number) => Answer | Promise<Answer>;
  /** The requests to `path`. */
  at(path: string): Received[];
  close(): Promise<void>;
};

/** A local HTTP server that records every request, for tests that send webhooks to it. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const hanging = new Set<() => void>();
  const receiver: WebhookReceiver = {
    url: "",
    received,
    answer: () => 200,
    at: (path) => received.filter((r) => r.path === path),
    close: async () => {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request: Received = {
        path: req.url ?? "",
        headers: req.headers,
        body,
        at: Date.now(),
        json: JSON.parse(body) as Received["json"],
      };
      const index = received.push(request) - 1;
      void Promise.resolve(receiver.answer(request, index)).then((answer) => {
        if (answer === "hang") {
          const end = () => res.destroy();
          hanging.add(end);
          res.on("close", () => hanging.delete(end));
          return;
        }
        res.writeHead(answer).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Whether `secret` signed this request, as a receiver's Standard Webhooks library decides. */
export function isSignedBy(request: Received, secret: string): boolean {
  try {
    new Webhook(secret).verify(request.body, {
      "webhook-id": String(request.headers["webhook-id"]),
      "webhook-timestamp": String(request.headers["webhook-timestamp"]),
      "webhook-signature": String(request.headers["webhook-signature"]),
    });
    return true;
  } catch {
    return false;
  }
}

/** Until `condition` holds (what the receiver recorded); generous timeout. */
export const waitFor = (condition: () => boolean, timeoutMs?: number) =>
  until(() => Promise.resolve(condition()), timeoutMs);
