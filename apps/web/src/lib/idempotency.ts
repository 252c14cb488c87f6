/**
 * Idempotency-Key values for the requests that create a job (docs/api.md §10.1: create and retry). One key
 * per user action: sending the same request again before it is known to have succeeded (after a
 * network failure, a 5xx, a second click) reuses the key, so the server creates the job at most
 * once and answers the repeat with the original job. A success ends the action: the next identical
 * request is a new action with a new key. Keys are kept per page load, outside any component, so
 * that leaving the page and coming back to try again still reuses them.
 */

// Action → key, until the action succeeds. A handful at most: one per form or button in trouble.
const openActions = new Map<string, string>();
const OPEN_MAX = 50;

/** A random UUID. crypto.randomUUID exists only in secure contexts (https, localhost); a dashboard
 * opened over plain http on another address has getRandomValues alone. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The key of `action` (a string naming the request: route and body), new unless it is still open. */
export function idempotencyKeyFor(action: string): string {
  const open = openActions.get(action);
  if (open) return open;
  const key = newIdempotencyKey();
  openActions.set(action, key);
  if (openActions.size > OPEN_MAX) openActions.delete(openActions.keys().next().value as string);
  return key;
}

/** The server did what `action` asked: a new request like it is a new action. */
export function completeAction(action: string): void {
  openActions.delete(action);
}
