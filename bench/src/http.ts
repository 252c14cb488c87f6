import { deepStrictEqual } from "node:assert/strict";
import type { LoadRequest } from "./load/spec.js";
import { benchToken } from "./tokens.js";

export const get = (path: string, sub: string): LoadRequest => ({
  method: "GET",
  path,
  headers: { authorization: `Bearer ${benchToken(sub)}` },
});

export const post = (path: string, sub: string, body: unknown): LoadRequest => ({
  method: "POST",
  path,
  headers: { authorization: `Bearer ${benchToken(sub)}`, "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** One request from the bench itself (not the load core): for checks, never for timing. */
export async function send(
  baseUrl: string,
  request: LoadRequest,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(baseUrl + request.path, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text: the error below shows it
  }
  return { status: response.status, body };
}

/** Refuses to compare contenders that do not answer the same thing. */
export async function assertSameAnswer(
  label: string,
  servers: { name: string; url: string }[],
  request: LoadRequest,
  normalise: (body: unknown) => unknown = (body) => body,
): Promise<void> {
  const answers = await Promise.all(servers.map((s) => send(s.url, request)));
  const [first, ...rest] = answers;
  for (const [i, answer] of rest.entries()) {
    try {
      deepStrictEqual(
        { status: answer.status, body: normalise(answer.body) },
        { status: first!.status, body: normalise(first!.body) },
      );
    } catch (error) {
      throw new Error(
        `${label}: ${servers[i + 1]!.name} and ${servers[0]!.name} answer ${request.method} ${request.path} differently: ${(error as Error).message.slice(0, 3000)}`,
      );
    }
  }
  if (first!.status >= 300)
    throw new Error(`${label}: ${request.method} ${request.path} answered ${first!.status}`);
}
